import type { JsonObject } from '../tracing/types.ts';
import type { JudgeCriterionScore } from './rubric-score.ts';

/** Scores of an `ok` verdict, each in the rubric's scale (0–1 unless the rubric sums). */
export interface VerdictScores {
  /** The overall score: the outcome score when outcome judging ran, else the event score. */
  primary: number;
  /** Mean of the per-step scores, when event judging ran. */
  event: number | null;
  /** The episode-level score, when outcome judging ran. */
  outcome: number | null;
  /** Per criterion: its score and the reason the judge gave. */
  criteria: Record<string, JudgeCriterionScore>;
}

/** A judgment that produced scores. */
export interface OkVerdict {
  status: 'ok';
  scores: VerdictScores;
  reasoning: string;
  /** Judge, rubric id and version, model, cost, tokens, sample spread and anything the verifier measured. */
  metadata: JsonObject;
}

/** A judgment that failed after its retries. It carries no score, ever. */
export interface ErrorVerdict {
  status: 'error';
  reason: string;
  metadata: JsonObject;
}

/** A judgment that was not made on purpose: sampled out, or past its deadline. It carries no score. */
export interface AbstainVerdict {
  status: 'abstain';
  reason: string;
  metadata: JsonObject;
}

/** Three-state result of judging one episode. */
export type Verdict = OkVerdict | ErrorVerdict | AbstainVerdict;

/** Builds an error verdict. */
export function errorVerdict(reason: string, metadata: JsonObject = {}): ErrorVerdict {
  return { status: 'error', reason, metadata };
}

/** Builds an abstention. */
export function abstainVerdict(reason: string, metadata: JsonObject = {}): AbstainVerdict {
  return { status: 'abstain', reason, metadata };
}

/** The numeric score of a verdict, or null for error and abstain (never 0). */
export function verdictScore(verdict: Verdict): number | null {
  return verdict.status === 'ok' ? verdict.scores.primary : null;
}
