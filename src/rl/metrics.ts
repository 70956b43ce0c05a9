/**
 * Per-iteration metrics of the RL loop: the returns by component and the judge's health (mean score,
 * judge/env ratio, variance, call latency), written one JSON line per iteration.
 * @module
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScoredTrajectory } from './loop.ts';

export interface IterationMetrics {
  iteration: number;
  trajectories: number;
  judged: number;
  unjudged: number;
  failed: number;
  /** Mean combined reward (what the trainer optimises). */
  mean_return: number | null;
  env_return: number | null;
  /** Mean judge term (judge_scale · weighted judge scores) over judged trajectories. */
  judge_return: number | null;
  mean_judge_score: number | null;
  judge_variance: number | null;
  judge_env_ratio: number | null;
  judge_latency_ms: number | null;
  generation_s: number;
  judging_s: number;
  train_s: number;
  iteration_s: number;
  eval_mean_return: number | null;
  trainer: Record<string, number>;
  checkpoint: string | null;
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function variance(values: readonly number[]): number | null {
  const m = mean(values);
  return m === null ? null : (mean(values.map((v) => (v - m) ** 2)) ?? null);
}

export function summarizeIteration(input: {
  iteration: number;
  scored: readonly ScoredTrajectory[];
  generationS: number;
  judgingS: number;
  trainS: number;
  iterationS: number;
  evalMeanReturn: number | null;
  trainerMetrics: Record<string, number>;
  checkpoint: string | null;
}): IterationMetrics {
  const usable = input.scored.filter((s) => s.reward.combined !== null);
  const judged = usable.filter((s) => s.reward.status === 'judged');
  const judgeScores = judged
    .map((s) => (s.verdict?.status === 'ok' ? s.verdict.scores.primary : null))
    .filter((v): v is number => v !== null);
  const envReturn = mean(usable.map((s) => s.reward.env));
  const judgeReturn = mean(judged.map((s) => s.reward.judge ?? 0));
  return {
    iteration: input.iteration,
    trajectories: input.scored.length,
    judged: judged.length,
    unjudged: usable.length - judged.length,
    failed: input.scored.length - usable.length,
    mean_return: mean(usable.map((s) => s.reward.combined!)),
    env_return: envReturn,
    judge_return: judgeReturn,
    mean_judge_score: mean(judgeScores),
    judge_variance: variance(judgeScores),
    judge_env_ratio: judgeReturn !== null && envReturn ? judgeReturn / envReturn : null,
    judge_latency_ms: mean(input.scored.map((s) => s.judgeLatencyMs).filter((v): v is number => v !== null)),
    generation_s: input.generationS,
    judging_s: input.judgingS,
    train_s: input.trainS,
    iteration_s: input.iterationS,
    eval_mean_return: input.evalMeanReturn,
    trainer: input.trainerMetrics,
    checkpoint: input.checkpoint,
  };
}

/** Appends one iteration to a JSONL file (created with its folder). */
export function appendMetrics(path: string, metrics: IterationMetrics): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${JSON.stringify(metrics)}\n`);
}
