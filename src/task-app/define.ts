/**
 * `defineTaskApp`: the one place a task app is described. An app either runs rollouts itself
 * (`rollout`) or hands the SDK an environment factory that the SDK turns into rollouts.
 * @module
 */
import { UsageError } from '../errors.ts';
import type { PolicyFactory } from '../policies/types.ts';
import type { JsonObject } from '../tracing/types.ts';
import type { EnvironmentFactory, EpisodeSummary, Observation } from './environment.ts';
import type { TaskInfo } from './info-contract.ts';
import type { RolloutRequest, RolloutResponse, RolloutStep } from './rollout-contract.ts';
import type { RubricBundle } from './rubric.ts';

/** Hints an LLM policy uses for this app. */
export interface TaskAppLlmHints {
  systemPrompt: string;
  /** `'required'`, `'auto'`, or the name of one tool the model must call. */
  toolChoice: 'required' | 'auto' | { name: string };
}

/** What a finished episode looks like to an app's scorer. */
export interface EpisodeResult {
  seed: number;
  split: string;
  steps: readonly RolloutStep[];
  /** What the environment showed after the last step (or after reset when no step ran). */
  finalObservation: Observation;
  totalReward: number;
  summary: EpisodeSummary;
  terminated: boolean;
  truncated: boolean;
}

/** Scores an app gives a finished episode; `details` lands in `metrics.details`. */
export interface EpisodeScores {
  outcome_score?: number | null;
  events_score?: number | null;
  details?: JsonObject;
}

/** What the rollout function of a custom app is handed besides the request. */
export interface RolloutContext {
  signal: AbortSignal;
}

interface TaskAppBase {
  /** Stable id (`banking77`, `grpo-crafter`). */
  id: string;
  /** Other ids the registry accepts (`crafter`). */
  aliases?: readonly string[];
  name: string;
  description: string;
  version?: string;
  /** `GET /task_info` with no seed. */
  describeTaskset(): JsonObject | Promise<JsonObject>;
  /**
   * Per-seed task info. Return at least `task_metadata` (split, difficulty, ...); the SDK fills in
   * `task`, `rubric` and `inference` when left out. Throw a `UsageError` for a seed the app refuses.
   */
  taskInfo(seed: number): Partial<TaskInfo> | Promise<Partial<TaskInfo>>;
  rubrics?: RubricBundle;
  /** Built-in programmatic policies by name (`random`, `keyword`, ...). */
  policies?: Readonly<Record<string, PolicyFactory>>;
  /** Policy used when a request names none and sets no model. */
  defaultPolicy?: string;
  llm?: TaskAppLlmHints;
  /** `GET /info` extras. */
  dataset?: JsonObject;
  capabilities?: JsonObject;
  limits?: JsonObject;
}

/** An app whose rollouts the SDK runs from an environment. */
export interface EnvironmentTaskAppDefinition extends TaskAppBase {
  environment: EnvironmentFactory;
  /** Env steps per episode when the request does not say (default 20, as synth-ai). */
  defaultMaxSteps?: number;
  /** Split used for a seed when `env.config.split` is not given (default `train`). */
  defaultSplit?: string;
  /** Outcome and event scores of a finished episode (default: both = total reward). */
  score?(result: EpisodeResult): EpisodeScores | Promise<EpisodeScores>;
  rollout?: undefined;
}

/** An app that runs whole rollouts itself. */
export interface CustomRolloutTaskAppDefinition extends TaskAppBase {
  rollout(request: RolloutRequest, context: RolloutContext): RolloutResponse | Promise<RolloutResponse>;
  environment?: undefined;
}

export type TaskAppDefinition = EnvironmentTaskAppDefinition | CustomRolloutTaskAppDefinition;

const MARKER = Symbol.for('synth-ai.task-app');

/** A checked task app definition, as the server and the registry take it. */
export type TaskApp = TaskAppDefinition & { readonly [MARKER]: true };

/** Whether a value (for instance a module's export) is a task app made by `defineTaskApp`. */
export function isTaskApp(value: unknown): value is TaskApp {
  return typeof value === 'object' && value !== null && MARKER in value;
}

/**
 * Checks a task app definition and marks it. Bad definitions fail here, not at the first request.
 * @example export default defineTaskApp({ id: 'my-app', name: 'My app', description: '...', ... });
 */
export function defineTaskApp(definition: TaskAppDefinition): TaskApp {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(definition.id ?? '')) problems.push('id must be a non-empty slug');
  const hasRollout = typeof definition.rollout === 'function';
  const hasEnvironment = typeof definition.environment === 'function';
  if (hasRollout === hasEnvironment) problems.push('give exactly one of rollout() or environment');
  const policies = Object.keys(definition.policies ?? {});
  if (definition.defaultPolicy !== undefined && !policies.includes(definition.defaultPolicy)) {
    problems.push(
      `defaultPolicy "${definition.defaultPolicy}" is not one of policies (${policies.join(', ')})`,
    );
  }
  for (const kind of ['outcome', 'events'] as const) {
    const ids = new Set<string>();
    for (const criterion of definition.rubrics?.[kind]?.criteria ?? []) {
      if (ids.has(criterion.id)) problems.push(`rubrics.${kind} repeats criterion id "${criterion.id}"`);
      ids.add(criterion.id);
    }
  }
  if (problems.length > 0) {
    throw new UsageError(`task app "${definition.id}" is not valid: ${problems.join('; ')}`, {
      hint: 'fix the defineTaskApp({...}) call',
    });
  }
  return Object.freeze({ ...definition, [MARKER]: true as const }) as TaskApp;
}
