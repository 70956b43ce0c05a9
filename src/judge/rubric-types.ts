/**
 * The one rubric model every judge reads. Both input forms normalise to it: the seeds'
 * `RubricBundle{global_rubric, instance_rubrics}` and synth-ai's `{outcome, events}` with weighted criteria.
 * @module
 */

/** How criterion scores become a section score. */
export type RubricAggregation =
  /** Σ scores (synth-ai `sum`). */
  | 'sum'
  /** Σ score·weight / Σ weight (synth-ai's default). */
  | 'weighted_sum'
  /** Same as weighted_sum (synth-ai `inherit`). */
  | 'inherit'
  /** No formula: the judge's overall score is the section score. */
  | 'custom';

/** One thing the judge grades, scored in [0, 1]. */
export interface JudgeCriterion {
  id: string;
  description: string;
  /** > 0; equal weights when the rubric gave none. */
  weight: number;
  /** A required criterion scoring 0 makes the section score 0. */
  required: boolean;
}

/** A group of criteria judged together (the whole episode, or each step). */
export interface RubricSection {
  goalText: string | null;
  criteria: JudgeCriterion[];
  aggregation: RubricAggregation;
}

/** One band of the scoring guide, e.g. 0.7–0.9 "Good: some achievements". */
export interface ScoreBand {
  min: number;
  max: number;
  text: string;
}

/** Extra criteria for one task instance (seed or task id). */
export interface InstanceRubric {
  /** Matches `metadata.task_id`, `metadata.seed` or `metadata.eval_seed` (as a string). */
  instanceId: string;
  description: string | null;
  criteria: JudgeCriterion[];
}

/** A normalised rubric. `version` is a content hash: changing any text changes it. */
export interface JudgeRubric {
  id: string;
  version: string;
  description: string;
  /** Graded once per episode. */
  outcome: RubricSection | null;
  /** Graded per step; when null, event judging uses the outcome criteria. */
  event: RubricSection | null;
  scoringGuide: ScoreBand[];
  instances: InstanceRubric[];
}
