/**
 * `[training]` of the RL config: the loop's sizes, the async judge pipeline and environment step rewards
 * (seed 001 §7 and §9, synth-ai-reference §6).
 * @module
 */
import { z } from 'zod';
import { nonNegativeNumber, positiveInt, positiveNumber, table } from '../common.ts';

/** `[training]` for RL. */
export const trainingSchema = table({
  num_epochs: positiveInt().optional(),
  iterations_per_epoch: positiveInt().optional(),
  batch_size: positiveInt().optional(),
  /** Rollouts per episode for group-relative advantages. */
  group_size: positiveInt().optional(),
  learning_rate: positiveNumber().optional(),
  gradient_accumulation_steps: positiveInt().optional(),
  /** Judge batch k while generating batch k+1. @default false */
  pipeline_async_enabled: z.boolean().optional(),
  /** Most judge calls at once in the async pipeline. */
  async_semaphore_max: positiveInt().optional(),
  /** Seconds before a judgment abstains (never scored as zero). */
  judge_timeout_s: positiveNumber().optional(),
  /** Use the environment's per-step rewards. @default false */
  step_rewards_enabled: z.boolean().optional(),
  step_rewards_mode: z.enum(['off', 'decision_stepwise']).optional(),
  step_rewards_indicator_lambda: nonNegativeNumber().optional(),
  step_rewards_beta: z.number().optional(),
  step_rewards_strategy: z.string().min(1).optional(),
  event_rewards_kind: z.enum(['unique', 'absolute']).optional(),
});
