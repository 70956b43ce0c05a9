/**
 * Reads seed 001's RL config into the loop's settings, and says which keys the chosen trainer ignores.
 * @module
 */
import type { ResolvedRlConfig } from '../config/schemas/rl.ts';
import { UsageError } from '../errors.ts';
import type { RlLoopOptions } from '../rl/loop.ts';

export interface RlSettings {
  appId: string;
  iterations: number;
  episodesPerBatch: number;
  groupSize: number;
  maxConcurrentRollouts: number;
  maxTurns: number;
  variety: 'grpo' | 'gspo';
  rewards: RlLoopOptions['rewards'];
  sampleRate: number;
  judgeTimeoutS: number | null;
  asyncPipeline: boolean;
  judgeConcurrency: number;
  evaluation: { seeds: number[]; everyNIters: number } | undefined;
  /** Training seeds are drawn from here, batch after batch. */
  trainSeedStart: number;
  judgeEnabled: boolean;
  /** `step_rewards_enabled` with `decision_stepwise`: per-decision advantages from turn rewards. */
  stepRewards: { lambda: number; beta: number } | null;
}

/** Keys that configure GPU training: the local trainer reads none of them. */
const GPU_ONLY: readonly (readonly [string, string])[] = [
  ['compute', 'GPU type and count'],
  ['topology', 'the vLLM/training/reference GPU split'],
];

export function rlSettings(
  rl: ResolvedRlConfig,
  overrides: { appId?: string; iterations?: number } = {},
): RlSettings {
  const training = rl.training;
  const judge = rl.judge;
  const appId = overrides.appId ?? rl.rollout?.env_name;
  if (!appId) {
    throw new UsageError('the RL config names no task app', {
      hint: 'set [rollout] env_name = "crafter" or pass --app',
    });
  }
  const groupSize = training.group_size ?? 4;
  const episodesPerBatch =
    rl.rollout?.episodes_per_batch ?? Math.max(1, Math.floor((training.batch_size ?? 16) / groupSize));
  const judgeEnabled = Boolean(judge?.enabled) && judge?.provider !== undefined;
  let rewards: RlLoopOptions['rewards'] = { kind: 'env' };
  if (judge && judgeEnabled) {
    rewards = {
      kind: 'judge',
      settings: {
        combineMode: judge.combine_mode,
        outcomeWeight: judge.outcome_weight,
        eventWeight: judge.event_weight,
        judgeScale: judge.judge_scale,
      },
    };
  }
  if (rl.rubric.enabled && judgeEnabled) {
    rewards = { kind: 'blend', weights: { ...rl.rubric.weights } };
  }
  const evaluation = rl.evaluation?.seeds?.length
    ? {
        seeds: rl.evaluation.seeds.slice(0, rl.evaluation.instances ?? rl.evaluation.seeds.length),
        everyNIters: rl.evaluation.every_n_iters ?? 10,
      }
    : undefined;
  return {
    appId,
    iterations: overrides.iterations ?? (training.num_epochs ?? 1) * (training.iterations_per_epoch ?? 1),
    episodesPerBatch,
    groupSize,
    maxConcurrentRollouts: rl.rollout?.max_concurrent_rollouts ?? 8,
    maxTurns: rl.rollout?.max_turns ?? 20,
    variety: rl.algorithm?.variety === 'gspo' ? 'gspo' : 'grpo',
    rewards,
    sampleRate: judge?.sample_rate ?? 1,
    judgeTimeoutS: training.judge_timeout_s ?? judge?.timeout_s ?? null,
    asyncPipeline: training.pipeline_async_enabled,
    judgeConcurrency: training.async_semaphore_max ?? judge?.concurrency ?? 16,
    evaluation,
    trainSeedStart: 0,
    judgeEnabled,
    stepRewards:
      training.step_rewards_enabled &&
      (training.step_rewards_mode ?? 'decision_stepwise') === 'decision_stepwise'
        ? { lambda: training.step_rewards_indicator_lambda ?? 1, beta: training.step_rewards_beta ?? 1 }
        : null,
  };
}

/** One line per configured key the local trainer ignores, so nobody tunes a knob that does nothing. */
export function localTrainerWarnings(rl: ResolvedRlConfig): string[] {
  const warnings: string[] = [];
  const sections = rl as unknown as Record<string, unknown>;
  for (const [section, what] of GPU_ONLY) {
    if (sections[section] !== undefined)
      warnings.push(`[${section}] (${what}) has no effect on the local trainer`);
  }
  if (rl.model?.base)
    warnings.push(
      `[model] base = "${rl.model.base}" has no effect on the local trainer (it trains a small softmax policy)`,
    );
  if (rl.services?.task_url)
    warnings.push(
      '[services] task_url has no effect on the local trainer (it serves the built-in app in-process)',
    );
  if (rl.training.learning_rate !== undefined) {
    warnings.push(
      '[training] learning_rate is for GPU trainers; the local trainer uses --local-learning-rate',
    );
  }
  if (rl.training.gradient_accumulation_steps !== undefined) {
    warnings.push('[training] gradient_accumulation_steps has no effect on the local trainer');
  }
  if (rl.training.batch_size !== undefined && rl.rollout?.episodes_per_batch !== undefined) {
    warnings.push('[training] batch_size is ignored because [rollout] episodes_per_batch sets the batch');
  }
  if (rl.training.step_rewards_enabled) {
    warnings.push(
      '[training] step_rewards_* are not used by the local trainer: it optimises the episode return',
    );
  }
  return warnings;
}
