/**
 * The trainer's log lines, in exactly the forms seed 001 §6 shows, so users' greps keep working.
 * @module
 */
import type { CombinedReward } from './combine-rewards.ts';
import type { IterationMetrics } from './metrics.ts';

function num(value: number | null, digits = 3): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

/** `[ITER 5] mean_return=12.3, env_return=5.2, judge_return=7.1` */
export function formatIterLine(metrics: IterationMetrics): string {
  return `[ITER ${metrics.iteration}] mean_return=${num(metrics.mean_return)}, env_return=${num(metrics.env_return)}, judge_return=${num(metrics.judge_return)}`;
}

/** `[RUBRIC_CALL] policy=crafter-react, provider=openai, model=gpt-4o-mini` */
export function formatRubricCall(info: { policy: string; provider: string; model: string }): string {
  return `[RUBRIC_CALL] policy=${info.policy}, provider=${info.provider}, model=${info.model}`;
}

/** `[RUBRIC_SCORE] event=0.75, outcome=0.85, combined=8.5`; an unjudged trajectory says why. */
export function formatRubricScore(reward: CombinedReward): string {
  const line = `[RUBRIC_SCORE] event=${num(reward.event)}, outcome=${num(reward.outcome)}, combined=${num(reward.combined)}`;
  return reward.status === 'judged'
    ? line
    : `${line}, status=${reward.status} (${reward.reason ?? 'unjudged'})`;
}
