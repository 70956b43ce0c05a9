/**
 * Rubrics: what a judge grades. Shapes follow synth-ai's `Rubric` (criteria with id, description, weight)
 * plus the seeds' `scoring_guide` of score ranges ("0.9-1.0": "Excellent: ...").
 * @module
 */
import { z } from 'zod';

export const RubricCriterionSchema = z.looseObject({
  id: z.string().min(1),
  description: z.string(),
  weight: z.number().positive().default(1),
  required: z.boolean().default(false),
});
export type RubricCriterion = z.input<typeof RubricCriterionSchema>;

export const RubricSchema = z.looseObject({
  id: z.string().optional(),
  version: z.string().optional(),
  goal_text: z.string().optional(),
  criteria: z.array(RubricCriterionSchema),
  aggregation: z.enum(['sum', 'weighted_sum', 'custom', 'inherit']).default('weighted_sum'),
  /** Score ranges ("0.7-0.9") mapped to what they mean. */
  scoring_guide: z.record(z.string(), z.string()).optional(),
});
export type Rubric = z.input<typeof RubricSchema>;

export const RubricBundleSchema = z.looseObject({
  outcome: RubricSchema.optional(),
  events: RubricSchema.optional(),
});
export type RubricBundle = z.input<typeof RubricBundleSchema>;

/** The result of scoring criteria against a rubric. */
export interface RubricScore {
  aggregation: string;
  score: number | null;
  per_criterion: Record<string, number>;
}

/**
 * Aggregates per-criterion scores (a missing criterion counts 0): `sum` adds them, `weighted_sum`
 * and `inherit` give Σ(s·w)/Σw, `custom` has no built-in score (null).
 * @example scoreRubric(rubric, { intent_accuracy: 1, tool_usage: 1 }).score
 */
export function scoreRubric(rubric: Rubric, scores: Readonly<Record<string, number>>): RubricScore {
  const parsed = RubricSchema.parse(rubric);
  const perCriterion: Record<string, number> = {};
  let weighted = 0;
  let weights = 0;
  let sum = 0;
  for (const criterion of parsed.criteria) {
    const value = scores[criterion.id] ?? 0;
    perCriterion[criterion.id] = value;
    weighted += value * criterion.weight;
    weights += criterion.weight;
    sum += value;
  }
  let score: number | null;
  if (parsed.aggregation === 'custom') score = null;
  else if (parsed.aggregation === 'sum') score = sum;
  else score = weights > 0 ? weighted / weights : 0;
  return { aggregation: parsed.aggregation, score, per_criterion: perCriterion };
}
