/**
 * `[rollout]` and `[evaluation]` of the RL config (seed 001 §9).
 * @module
 */
import { z } from 'zod';
import { looseTable, positiveInt, seedsField, table } from '../common.ts';

/** `[rollout]`: how each iteration's episodes are collected. */
export const rolloutSchema = table({
  env_name: z.string().min(1).optional(),
  policy_name: z.string().min(1).optional(),
  max_turns: positiveInt().optional(),
  /** Episodes (prompts/seeds) per batch; each runs `group_size` times. */
  episodes_per_batch: positiveInt().optional(),
  max_concurrent_rollouts: positiveInt().optional(),
  env_config: looseTable().optional(),
  policy_config: looseTable().optional(),
});

/** `[evaluation]`: held-out seeds evaluated every `every_n_iters` iterations. */
export const evaluationSchema = table({
  /** How many of `seeds` to run. @default all of them */
  instances: positiveInt().optional(),
  every_n_iters: positiveInt().optional(),
  seeds: seedsField().optional(),
});
