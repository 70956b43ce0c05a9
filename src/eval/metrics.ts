import type { JsonObject, SessionTrace } from '../tracing/types.ts';

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function obj(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** The figures eval reads off a rollout response. */
export interface RolloutFigures {
  /** The environment return, not clamped (synth-ai clamps to [0, 1]; that saturates Crafter counts). */
  officialScore: number | null;
  meanReturn: number | null;
  outcomeScore: number | null;
  eventsScore: number | null;
  steps: number | null;
}

/**
 * Reads the official score and metrics. The official score is the first of `metrics.mean_return`,
 * the mean of `metrics.episode_returns`, `metrics.total_reward`, `metrics.outcome_score`, and the sum of
 * the first trajectory's step rewards.
 */
export function readRolloutFigures(response: JsonObject): RolloutFigures {
  const metrics = obj(response.metrics) ?? {};
  const meanReturn = num(metrics.mean_return);
  const returns = Array.isArray(metrics.episode_returns)
    ? metrics.episode_returns.filter((v) => num(v) !== null)
    : [];
  const returnsMean =
    returns.length > 0 ? (returns as number[]).reduce((a, b) => a + b, 0) / returns.length : null;
  const outcomeScore = num(metrics.outcome_score);
  let stepSum: number | null = null;
  const trajectories = Array.isArray(response.trajectories) ? response.trajectories : [];
  const first = obj(trajectories[0]);
  const steps = first && Array.isArray(first.steps) ? first.steps : null;
  if (steps) {
    const rewards = steps.map((s) => num(obj(s)?.reward)).filter((r): r is number => r !== null);
    if (rewards.length > 0) stepSum = rewards.reduce((a, b) => a + b, 0);
  }
  const officialScore = meanReturn ?? returnsMean ?? num(metrics.total_reward) ?? outcomeScore ?? stepSum;
  return {
    officialScore,
    meanReturn,
    outcomeScore,
    eventsScore: num(metrics.events_score),
    steps: num(metrics.num_steps) ?? (steps ? steps.length : null),
  };
}

/** Tokens and cost summed over the trace's LM call events (or `metrics.details.tokens` when no trace). */
export function readUsage(
  trace: SessionTrace | null,
  response: JsonObject,
): { tokens: number | null; costUsd: number | null } {
  if (trace) {
    let tokens = 0;
    let cost = 0;
    let calls = 0;
    for (const event of trace.event_history) {
      if (event.event_type !== 'cais') continue;
      calls++;
      tokens += num(event.total_tokens) ?? 0;
      cost += num(event.cost_usd) ?? 0;
    }
    if (calls > 0) return { tokens, costUsd: cost };
  }
  const details = obj(obj(response.metrics)?.details);
  const tokens = num(details?.tokens);
  return { tokens, costUsd: num(details?.cost_usd) };
}
