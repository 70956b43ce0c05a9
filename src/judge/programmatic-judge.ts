import type { JsonObject, SessionTrace } from '../tracing/types.ts';
import type { Judge, PreparedJudgment } from './judge-types.ts';
import { rubricForInstance } from './rubric-parse.ts';
import { aggregateSection, type JudgeCriterionScore } from './rubric-score.ts';
import type { JudgeRubric } from './rubric-types.ts';
import { errorVerdict, type Verdict } from './verdict.ts';

/** A criterion written as a function of the trace. */
export type CriterionScorer = (trace: SessionTrace) => JudgeCriterionScore;

/** Criteria as functions, plus measurements kept in the verdict's metadata. */
export interface Verifier {
  /** Names the verifier and its version, e.g. "crafter-verifier@1". */
  id: string;
  /** By criterion id of the rubric's outcome section. */
  scorers: Readonly<Record<string, CriterionScorer>>;
  /** Episode measurements for `judge_metadata.metadata` (e.g. achievements, survival_rate). */
  measure?: (trace: SessionTrace) => JsonObject;
}

const FREE = { calls: 0, inputTokens: 0, outputTokens: 0, maxOutputTokens: 0, costUsd: 0, maxCostUsd: 0 };

/**
 * A programmatic judge: scores each outcome criterion with its function and aggregates by the rubric.
 * The offline default; it can run beside an LLM judge under another name. Criteria without a scorer make
 * the verdict an error (a missing scorer is a bug, not a zero).
 */
export function createProgrammaticJudge(verifier: Verifier, options: { name?: string } = {}): Judge {
  const name = options.name ?? 'programmatic';
  return {
    name,
    kind: 'programmatic',
    description: verifier.id,
    prepare(trace: SessionTrace, baseRubric: JudgeRubric): PreparedJudgment {
      const rubric = rubricForInstance(baseRubric, trace.metadata ?? {});
      return { cacheKey: null, estimate: FREE, run: async () => judgeWith(verifier, name, trace, rubric) };
    },
  };
}

function judgeWith(verifier: Verifier, name: string, trace: SessionTrace, rubric: JudgeRubric): Verdict {
  const base: JsonObject = {
    judge: name,
    verifier: verifier.id,
    rubric_id: rubric.id,
    rubric_version: rubric.version,
    cost_usd: 0,
  };
  const section = rubric.outcome;
  if (!section)
    return errorVerdict(`rubric ${rubric.id} has no outcome criteria for a programmatic judge`, base);
  const missing = section.criteria.filter((c) => !verifier.scorers[c.id]).map((c) => c.id);
  if (missing.length)
    return errorVerdict(`verifier ${verifier.id} has no scorer for: ${missing.join(', ')}`, base);
  const criteria: Record<string, JudgeCriterionScore> = {};
  try {
    for (const c of section.criteria) {
      const s = (verifier.scorers[c.id] as CriterionScorer)(trace);
      if (!Number.isFinite(s.score)) return errorVerdict(`scorer ${c.id} returned ${s.score}`, base);
      criteria[c.id] = { score: Math.min(1, Math.max(0, s.score)), reason: s.reason };
    }
  } catch (err) {
    return errorVerdict(`scorer failed: ${(err as Error).message}`, base);
  }
  const outcome = aggregateSection(section, criteria);
  if (outcome === null) return errorVerdict(`rubric ${rubric.id} aggregation gives no score`, base);
  const reasoning = section.criteria
    .map((c) => `${c.id} ${criteria[c.id]?.score.toFixed(2)}: ${criteria[c.id]?.reason}`)
    .join('; ');
  return {
    status: 'ok',
    scores: { primary: outcome, outcome, event: null, criteria },
    reasoning,
    metadata: { ...(verifier.measure?.(trace) ?? {}), ...base },
  };
}
