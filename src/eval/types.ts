import type { Verdict } from '../judge/verdict.ts';
import type { JsonObject, SessionTrace } from '../tracing/types.ts';
import type { PearsonResult } from './stats.ts';

/** How one seed ended. */
export type SeedStatus =
  /** The rollout finished and returned metrics. */
  | 'ok'
  /** The task app answered with an error, or could not be reached. */
  | 'error'
  /** The rollout ran past its timeout and was cancelled. */
  | 'timeout'
  /** The run was stopped (Ctrl-C) before this seed finished. */
  | 'cancelled';

/** A judge's grade of one rollout: three states, an error is never folded into a number. */
export type EvalVerdict = Verdict;

/** One row of the report: a seed's rollout, its official score, its judges' scores. */
export interface SeedResult {
  seed: number;
  status: SeedStatus;
  /** The rollout request's run_id. */
  rolloutId: string;
  /** The official score: the environment return, unclamped. */
  score: number | null;
  meanReturn: number | null;
  outcomeScore: number | null;
  eventsScore: number | null;
  latencyMs: number;
  /** The primary judge's score (the "verifier" column). */
  verifierScore: number | null;
  /** Every judge's verdict by judge name. */
  verdicts: Record<string, EvalVerdict>;
  tokens: number | null;
  costUsd: number | null;
  error: string | null;
  /** The stored trace's session id, when a trace came back. */
  sessionId: string | null;
  taskId: string | null;
  steps: number | null;
}

/** The policy a run uses, after defaults are applied. */
export interface ResolvedPolicy {
  /**
   * `llm` or the name of a built-in policy the task app runs (`scripted`, `random`, `keyword`); null lets
   * an app eval does not know (reached by URL) run its own default policy.
   */
  policyName: string | null;
  /** Sent as `policy.config`: model, provider, inference_url, api_key_env and overrides. Never a key. */
  config: JsonObject;
  /** The model, when the policy is an LLM. */
  model: string | null;
}

/** A judge eval runs on each finished rollout. */
export interface EvalJudge {
  readonly name: string;
  grade(input: JudgeInput, signal: AbortSignal): Promise<EvalVerdict>;
}

/** What a judge sees of a finished rollout. */
export interface JudgeInput {
  seed: number;
  appId: string;
  /** The task app's base URL (for rubric lookups). */
  taskAppUrl: string;
  trace: SessionTrace | null;
  /** The raw rollout response (metrics, trajectories). */
  response: JsonObject;
}

/** Summary figures of a run. */
export interface EvalSummary {
  ok: number;
  failed: number;
  officialMean: number | null;
  judgeMeans: Record<string, number | null>;
  pearson: Record<string, PearsonResult>;
}

/** Everything a run produced. */
export interface EvalRunResult {
  runId: string;
  mode: 'direct' | 'backend';
  results: SeedResult[];
  /** Seeds skipped by `--resume` because their traces are already stored. */
  skipped: number[];
  summary: EvalSummary;
  /** Seeds never started because the run was stopped first (they have no row). */
  notRun: number[];
  /** True when the run was stopped before every seed finished. */
  interrupted: boolean;
}

/** Progress events for a bar or plain lines. */
export type EvalProgressEvent =
  | { type: 'start'; total: number; seeds: readonly number[] }
  | { type: 'seed-done'; result: SeedResult; done: number; total: number }
  /** A seed already reported done whose trace then failed to store: its row is an error now. */
  | { type: 'seed-store-failed'; result: SeedResult };
