/**
 * `[prompt_learning]`: the GEPA/MIPRO config form that `synth-ai eval` also reads (seed 003), through
 * `task_app_id`, `task_app_url`, `[prompt_learning.policy]` and `[prompt_learning.gepa.evaluation]`.
 * Optimiser settings eval does not use (`rollout`, `mutation`, ...) are kept as written.
 * @module
 */
import { z } from 'zod';
import { type DeepReadonly, looseTable, seedsField, table } from './common.ts';

/** `[prompt_learning.gepa.evaluation]`: the seed sets `--seed-set` picks from. */
const evaluationSchema = table({
  seeds: seedsField().optional(),
  validation_seeds: seedsField().optional(),
  test_pool: seedsField().optional(),
});

const gepaSchema = table({
  env_name: z.string().min(1).optional(),
  evaluation: evaluationSchema.optional(),
  rollout: looseTable().optional(),
  mutation: looseTable().optional(),
  population: looseTable().optional(),
  archive: looseTable().optional(),
  token: looseTable().optional(),
  policy: looseTable().optional(),
});

/** The `[prompt_learning]` table as written. */
export const promptLearningTableSchema = table({
  /** `gepa` or `mipro`. @default "gepa" */
  algorithm: z.enum(['gepa', 'mipro']).optional(),
  task_app_id: z.string().min(1).optional(),
  task_app_url: z.string().min(1).optional(),
  env_name: z.string().min(1).optional(),
  /** The policy under optimisation (`model`, `provider`, `inference_url`, ...), passed through. */
  policy: looseTable().optional(),
  initial_prompt: looseTable().optional(),
  env_config: looseTable().optional(),
  gepa: gepaSchema.optional(),
  mipro: looseTable().optional(),
});

/** `[prompt_learning]` resolved: the fields eval reads lifted to the top, the rest kept. */
export const promptLearningSchema = promptLearningTableSchema.transform((p) => ({
  algorithm: p.algorithm ?? 'gepa',
  task_app_id: p.task_app_id,
  task_app_url: p.task_app_url,
  env_name: p.env_name ?? p.gepa?.env_name,
  policy: p.policy ?? {},
  initial_prompt: p.initial_prompt,
  env_config: p.env_config ?? {},
  seeds: p.gepa?.evaluation?.seeds,
  validation_seeds: p.gepa?.evaluation?.validation_seeds,
  test_pool: p.gepa?.evaluation?.test_pool,
  gepa: p.gepa,
  mipro: p.mipro,
}));

/** `[prompt_learning]` as written. */
export type WrittenPromptLearningConfig = z.input<typeof promptLearningSchema>;
/** `[prompt_learning]` resolved: complete and readonly. */
export type ResolvedPromptLearningConfig = DeepReadonly<z.output<typeof promptLearningSchema>>;
