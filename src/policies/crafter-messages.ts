/**
 * Chat messages of a programmatic Crafter decision, in the same shape an LLM policy records: system prompt,
 * the observation as the user turn, and the assistant's `interact_many` call — so scripted episodes can
 * become SFT data unchanged.
 * @module
 */
import { CRAFTER_SYSTEM_PROMPT } from '../apps/crafter/prompt.ts';
import { CRAFTER_TOOL_NAME } from '../apps/crafter/tool.ts';
import type { ChatToolCall } from '../tracing/types.ts';
import type { PolicyContext, PolicyDecision } from './types.ts';

/** Builds the decision for a list of action names: one `interact_many` call with a stable id. */
export function crafterDecision(context: PolicyContext, actions: string[]): PolicyDecision {
  const call: ChatToolCall = {
    id: `call_${context.seed}_${context.turn}`,
    type: 'function',
    function: { name: CRAFTER_TOOL_NAME, arguments: JSON.stringify({ actions }) },
  };
  return {
    messages: [
      { role: 'system', content: CRAFTER_SYSTEM_PROMPT },
      { role: 'user', content: context.observation.text },
      { role: 'assistant', content: null, tool_calls: [call] },
    ],
    toolCalls: [call],
    llmCalls: [],
  };
}

/** Reads `actions_per_call` from a policy config (1..8, default `fallback`). */
export function actionsPerCall(config: Record<string, unknown>, fallback: number): number {
  const value = config['actions_per_call'] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 8) {
    throw new RangeError(
      `policy.config.actions_per_call must be an integer in 1..8, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
