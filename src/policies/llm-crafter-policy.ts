/**
 * The ReAct-style Crafter LLM policy: correct-rules system prompt, the observation text, the last tool
 * calls, `interact_many` forced. Invalid action names are caught by the tool's enum and repaired.
 * @module
 */

import { createLlmPolicyFromSettings, type LlmPolicySettings } from './llm-policy-core.ts';
import { CRAFTER_REACT_SYSTEM_PROMPT, CRAFTER_REACT_TURN_INSTRUCTION } from './prompts/crafter.ts';
import type { Policy } from './types.ts';

/** Settings: the model, plus anything of `LlmPolicySettings` to override. */
export type CrafterLlmPolicySettings = Partial<LlmPolicySettings> & Pick<LlmPolicySettings, 'model'>;

/** Builds the Crafter policy (synth-ai's defaults: temperature 0.2, top_p 0.95, history of 3 calls). */
export function createCrafterLlmPolicy(settings: CrafterLlmPolicySettings): Policy {
  return createLlmPolicyFromSettings({
    name: 'crafter-react',
    systemPrompt: CRAFTER_REACT_SYSTEM_PROMPT,
    turnInstruction: CRAFTER_REACT_TURN_INSTRUCTION,
    toolChoice: { name: 'interact_many' },
    historyLength: 3,
    // A noop wastes one step and keeps the episode going; the history shows the model what happened.
    fallbackArguments: { actions: ['noop'] },
    ...settings,
    request: { temperature: 0.2, topP: 0.95, ...settings.request },
  });
}
