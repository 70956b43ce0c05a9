/**
 * The RL config's setup sections (seed 001 §9): `[algorithm]`, `[services]`, `[model]`, `[compute]`,
 * `[topology]`. Read by the trainer; the local trainer ignores the GPU layout (it warns, see rl warnings).
 * @module
 */
import { z } from 'zod';
import { httpUrl, nonNegativeInt, positiveInt, table, withRules } from '../common.ts';

/** `[algorithm]`: `type = "online"` (RL) or `"offline"` (SFT); `method` and `variety` name the recipe. */
export const algorithmSchema = table({
  type: z.enum(['online', 'offline']).optional(),
  /** For example `policy_gradient` or `sft`. */
  method: z.string().min(1).optional(),
  /** For example `gspo` (sequence-level) or `grpo`. */
  variety: z.string().min(1).optional(),
});

/** `[services]`: where the task app (and optionally a judge service) run. */
export const servicesSchema = table({
  task_url: httpUrl().optional(),
  judge_url: httpUrl().optional(),
});

/** `[model]`: the base model (or a fine-tuned `source`) and a label for the result. */
export const modelSchema = withRules(
  table({
    base: z.string().min(1).optional(),
    source: z.string().min(1).optional(),
    label: z.string().min(1).optional(),
    trainer_mode: z.string().min(1).optional(),
  }),
  (value, report) => {
    if (value.base !== undefined && value.source !== undefined) {
      report(['source'], 'model.base and model.source are both set; a run starts from one of them');
    }
  },
);

/** `[compute]`: the machines a GPU trainer asks for. */
export const computeSchema = table({
  gpu_type: z.string().min(1).optional(),
  gpu_count: nonNegativeInt().optional(),
  nodes: positiveInt().optional(),
});

/** `[topology]`: how the GPUs are split between inference, training and the reference model. */
export const topologySchema = table({
  type: z.string().min(1).optional(),
  gpus_for_vllm: nonNegativeInt().optional(),
  gpus_for_training: nonNegativeInt().optional(),
  gpus_for_ref: nonNegativeInt().optional(),
  tensor_parallel: positiveInt().optional(),
});
