import type { ChatToolCall, JsonObject, ToolDefinition } from '../tracing/types.ts';

/** What an environment shows after reset and after each step. */
export interface Observation {
  /** What an LLM policy reads. */
  text: string;
  /** Optional PNG frame as a data URL (`data:image/png;base64,...`) for vision models. */
  image?: string;
  /** Structured, JSON-safe state for programmatic policies, rubrics and traces. */
  data: JsonObject;
}

/** The result of applying one tool call. */
export interface StepResult {
  observation: Observation;
  /** Reward of this step (for a multi-action tool call: the sum over its sub-steps). */
  reward: number;
  /** The episode ended by the environment's rules (death, an answer given). */
  terminated: boolean;
  /** The episode was cut by a step limit. */
  truncated: boolean;
  /** Per-step detail: sub-step rewards, new achievements, rejected actions and why. */
  info: JsonObject;
  /** The text answered to the model as the tool result. */
  toolResult: string;
}

/** How an episode ended, for the outcome reward row. */
export interface EpisodeSummary {
  total_reward: number;
  achievements_count: number;
  total_steps: number;
  metadata: JsonObject;
}

/**
 * A task environment with tool-call actions. An invalid tool call (unknown tool, bad JSON, bad arguments)
 * is answered through `info` and `toolResult`; `step` never throws for it.
 */
export interface Environment {
  readonly tools: ToolDefinition[];
  /** Id of the task instance (`banking77::test::12`), used as the trajectory's `env_id` when set. */
  readonly instanceId?: string;
  reset(): Observation | Promise<Observation>;
  step(call: ChatToolCall): StepResult | Promise<StepResult>;
  summary(): EpisodeSummary;
  close?(): void | Promise<void>;
}

/** Builds an environment for one seed. `config` is the rollout request's `env.config`. */
export type EnvironmentFactory = (options: {
  seed: number;
  split: string;
  config: JsonObject;
}) => Environment | Promise<Environment>;
