import type { SessionTrace } from '../tracing/types.ts';
import type { JudgeRubric } from './rubric-types.ts';
import type { Verdict } from './verdict.ts';

/** What one judgment is expected to cost, before it runs. */
export interface JudgmentEstimate {
  calls: number;
  inputTokens: number;
  /** Expected output tokens. */
  outputTokens: number;
  /** Output tokens if every call used its whole `maxTokens` (the spend cap reserves this). */
  maxOutputTokens: number;
  /** USD for the expected tokens, or null when the model has no price (programmatic judges: 0). */
  costUsd: number | null;
  /** USD upper bound used for the spend cap, or null when unpriced. */
  maxCostUsd: number | null;
}

/** A judgment ready to run: rendered once, keyed for the cache, priced. */
export interface PreparedJudgment {
  /** Content hash of (rubric version, judge model and parameters, rendered trace); null = not cached. */
  cacheKey: string | null;
  estimate: JudgmentEstimate;
  run(signal?: AbortSignal): Promise<Verdict>;
}

/** Anything that grades an episode against a rubric: an LLM judge or a programmatic verifier. */
export interface Judge {
  /** The key its verdicts are stored under in `judge_metadata`. */
  readonly name: string;
  readonly kind: 'llm' | 'programmatic';
  /** Provider and model, for reports (`programmatic` / verifier id for verifiers). */
  readonly description: string;
  prepare(trace: SessionTrace, rubric: JudgeRubric): PreparedJudgment;
}
