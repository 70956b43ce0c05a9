import type { Observation } from '../task-app/environment.ts';
import type {
  ChatMessage,
  ChatToolCall,
  JsonObject,
  LLMCallRecord,
  ToolDefinition,
} from '../tracing/types.ts';

/** One earlier turn, as a policy may want to recall it. */
export interface PolicyTurn {
  toolCalls: ChatToolCall[];
  toolResult: string;
  reward: number;
}

/** Everything a policy sees when it decides. */
export interface PolicyContext {
  observation: Observation;
  tools: ToolDefinition[];
  /** Earlier turns of this episode, oldest first. */
  history: PolicyTurn[];
  /** Index of this decision in the episode (0-based). */
  turn: number;
  seed: number;
  signal?: AbortSignal;
}

/** A policy's answer for one turn. */
export interface PolicyDecision {
  /**
   * The chat messages of this turn, as the model saw and produced them: usually a system prompt,
   * the user observation, and the assistant message carrying `tool_calls`. Programmatic policies
   * write the same shape so their episodes can become SFT data too.
   */
  messages: ChatMessage[];
  /** The tool calls to execute, in order (usually one). */
  toolCalls: ChatToolCall[];
  /** LM calls made for this decision; empty for programmatic policies. */
  llmCalls: LLMCallRecord[];
}

/** Chooses actions. Stateless between episodes: a new policy is built per rollout. */
export interface Policy {
  readonly name: string;
  decide(context: PolicyContext): Promise<PolicyDecision>;
}

/** Builds a policy from the rollout request's `policy.config`. */
export type PolicyFactory = (options: { seed: number; config: JsonObject }) => Policy | Promise<Policy>;
