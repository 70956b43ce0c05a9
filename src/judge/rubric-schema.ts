import { z } from 'zod';

/** A criterion written as an object (either form). */
export const CriterionInput = z.object({
  id: z.string().min(1).optional(),
  description: z.string().min(1),
  weight: z.number().positive().optional(),
  required: z.boolean().optional(),
  scale: z.enum(['binary', 'bounded']).optional(),
});

/** A criterion as the seeds write it (a sentence) or as an object. */
export const CriterionLike = z.union([z.string().min(1), CriterionInput]);

/** The seeds' `GlobalRubric`. */
export const GlobalRubricInput = z.object({
  id: z.string().min(1),
  description: z.string().optional(),
  criteria: z.array(CriterionLike).min(1),
  scoring_guide: z.record(z.string(), z.string()).optional(),
});

/** A per-instance rubric of the seeds' bundle. */
export const InstanceRubricInput = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  instance_id: z.union([z.string(), z.number()]).optional(),
  seed: z.number().optional(),
  task_id: z.string().optional(),
  description: z.string().optional(),
  criteria: z.array(CriterionLike).default([]),
});

/** synth-ai's `Rubric` (one of `outcome` / `events`). */
export const SectionInput = z.object({
  id: z.string().min(1).optional(),
  version: z.string().optional(),
  scoring_guide: z.record(z.string(), z.string()).optional(),
  goal_text: z.string().optional(),
  criteria: z.array(CriterionLike).min(1),
  aggregation: z.enum(['sum', 'weighted_sum', 'custom', 'inherit']).optional(),
});

/** Either form, or both in one document. */
export const RubricDocument = z
  .object({
    id: z.string().min(1).optional(),
    rubric_id: z.string().min(1).optional(),
    description: z.string().optional(),
    global_rubric: GlobalRubricInput.optional(),
    instance_rubrics: z.array(InstanceRubricInput).optional(),
    outcome: SectionInput.nullable().optional(),
    events: SectionInput.nullable().optional(),
    event: SectionInput.nullable().optional(),
    scoring_guide: z.record(z.string(), z.string()).optional(),
  })
  .refine((doc) => doc.global_rubric || doc.outcome || doc.events || doc.event, {
    message: 'a rubric needs global_rubric (with criteria), outcome or events',
  });

export type RubricDocument = z.infer<typeof RubricDocument>;
export type CriterionLike = z.infer<typeof CriterionLike>;
