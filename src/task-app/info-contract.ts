/**
 * `GET /info` and `GET /task_info` shapes (synth-ai-reference §1). TaskInfo follows the typed newest
 * version (task, environment, dataset, rubric, inference, limits) and keeps the judge era's free-form
 * keys (action_space, observation, capabilities, task_metadata) so either kind of client reads it.
 * @module
 */
import { z } from 'zod';
import { RubricBundleSchema } from './rubric.ts';

const jsonRecord = z.record(z.string(), z.unknown());

export const TaskDescriptorSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().optional(),
  version: z.string().optional(),
});

/** Per-seed task description. `task_metadata` carries what eval selects on (split, difficulty, ...). */
export const TaskInfoSchema = z.looseObject({
  task: TaskDescriptorSchema,
  environment: z.string().optional(),
  environments: z.array(z.string()).optional(),
  action_space: jsonRecord.optional(),
  observation: jsonRecord.optional(),
  dataset: jsonRecord.optional(),
  rubric: RubricBundleSchema.nullable().optional(),
  inference: jsonRecord.optional(),
  capabilities: jsonRecord.optional(),
  limits: jsonRecord.optional(),
  task_metadata: jsonRecord.default({}),
});
export type TaskInfo = z.infer<typeof TaskInfoSchema>;

/** `GET /info`. */
export const InfoSchema = z.looseObject({
  service: z.looseObject({ task: TaskDescriptorSchema, version: z.string() }),
  dataset: jsonRecord.nullable().optional(),
  rubrics: RubricBundleSchema.nullable(),
  inference: jsonRecord.nullable().optional(),
  capabilities: jsonRecord.nullable().optional(),
  limits: jsonRecord.nullable().optional(),
});
export type Info = z.infer<typeof InfoSchema>;

/** `GET /task_info` with no seed. */
export const TasksetResponseSchema = z.looseObject({ taskset: jsonRecord });
export type TasksetResponse = z.infer<typeof TasksetResponseSchema>;

/** `GET /` and `HEAD /`. */
export const RootResponseSchema = z.looseObject({ status: z.literal('ok'), service: z.string() });

/** `GET /health`. */
export const HealthResponseSchema = z.looseObject({
  healthy: z.boolean(),
  service: z.string().optional(),
  auth: z.looseObject({ required: z.boolean(), expected_prefix: z.string().optional() }).optional(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
