/**
 * Turns an environment return and a judge verdict into the reward a trainer sees, exactly as seed 001 §4
 * writes the formulas, plus the original synth-ai `[rubric.weights]` blend.
 * @module
 */

/** How the judge score joins the environment reward (seed 001 §4). */
export type CombineMode = 'weighted_sum' | 'multiply' | 'replace';

/** The `[judge]` reward keys of seed 001. */
export interface JudgeRewardSettings {
  combineMode: CombineMode;
  /** Weight of the episode-level judge score. Default 1. */
  outcomeWeight: number;
  /** Weight of the summed per-step judge scores. Default 0. */
  eventWeight: number;
  /** Scales judge scores (0–1) to the environment's reward range. Default 1. */
  judgeScale: number;
}

/** The original synth-ai's `[rubric.weights]`: R = env·w_env + Σevent·w_event + outcome·w_outcome. */
export interface RubricBlendWeights {
  env: number;
  event: number;
  outcome: number;
}

/**
 * What the judge said about one trajectory. Only `ok` carries scores; anything else leaves the
 * environment reward alone and is marked, never read as a zero.
 */
export type JudgeSignal =
  | { status: 'ok'; outcome?: number | null; events?: readonly number[] | number | null }
  | { status: 'error' | 'abstain' | 'sampled_out'; reason: string };

/** The combined reward with every component, so logs and metrics can show where it came from. */
export interface CombinedReward {
  env: number;
  /** Σ event scores, when judged. */
  event: number | null;
  outcome: number | null;
  /** The judge term before it joins env: judge_scale · (outcome_weight·outcome + event_weight·event). */
  judge: number | null;
  /** What the trainer uses; null when the environment reward itself is not a finite number. */
  combined: number | null;
  /** `judged`: the judge term is in; `env_only`: unjudged (sampled out, abstained, failed); `invalid`: unusable. */
  status: 'judged' | 'env_only' | 'invalid';
  reason?: string;
}

export const DEFAULT_JUDGE_REWARD_SETTINGS: Readonly<JudgeRewardSettings> = Object.freeze({
  combineMode: 'weighted_sum',
  outcomeWeight: 1,
  eventWeight: 0,
  judgeScale: 1,
});

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function sumEvents(events: readonly number[] | number | null | undefined): number | null {
  if (events === null || events === undefined) return null;
  if (typeof events === 'number') return finiteOrNull(events);
  let total = 0;
  for (const value of events) {
    if (!Number.isFinite(value)) return null;
    total += value;
  }
  return total;
}

/** A trajectory whose environment reward is not a number: nothing can be combined with it. */
function invalidEnv(envReward: number): CombinedReward {
  return {
    env: envReward,
    event: null,
    outcome: null,
    judge: null,
    combined: null,
    status: 'invalid',
    reason: 'environment reward is not a finite number',
  };
}

/** An unjudged trajectory keeps `kept` (its environment reward, weighted where a blend says so). */
function unjudged(envReward: number, kept: number, reason: string): CombinedReward {
  return {
    env: envReward,
    event: null,
    outcome: null,
    judge: null,
    combined: kept,
    status: 'env_only',
    reason,
  };
}

/** Reads the judge's parts; a non-finite score makes the verdict unusable rather than a number. */
function judgeParts(
  signal: JudgeSignal,
  weights: { outcome: number; event: number },
): { outcome: number | null; event: number | null } | { reason: string } {
  if (signal.status !== 'ok') return { reason: `${signal.status}: ${signal.reason}` };
  const outcome = finiteOrNull(signal.outcome);
  const event = sumEvents(signal.events);
  if (weights.outcome !== 0 && outcome === null) return { reason: 'judge returned no finite outcome score' };
  if (weights.event !== 0 && event === null) return { reason: 'judge returned no finite event scores' };
  return { outcome, event };
}

/**
 * Combines one trajectory's rewards (seed 001 §4):
 * - `weighted_sum`: env + judge_scale·(outcome_weight·outcome + event_weight·Σevent)
 * - `multiply`: env · judge_scale·(outcome_weight·outcome + event_weight·Σevent)
 * - `replace`: judge_scale·(outcome_weight·outcome + event_weight·Σevent)
 * An unjudged trajectory keeps its environment reward and is marked `env_only`.
 * @example combineRewards(5, { status: 'ok', outcome: 0.85 }, { ...DEFAULT_JUDGE_REWARD_SETTINGS, judgeScale: 10 }).combined // 13.5
 */
export function combineRewards(
  envReward: number,
  signal: JudgeSignal,
  settings: JudgeRewardSettings = DEFAULT_JUDGE_REWARD_SETTINGS,
): CombinedReward {
  if (!Number.isFinite(envReward)) return invalidEnv(envReward);
  const parts = judgeParts(signal, { outcome: settings.outcomeWeight, event: settings.eventWeight });
  if ('reason' in parts) return unjudged(envReward, envReward, parts.reason);
  const judge =
    settings.judgeScale *
    (settings.outcomeWeight * (parts.outcome ?? 0) + settings.eventWeight * (parts.event ?? 0));
  const combined =
    settings.combineMode === 'weighted_sum'
      ? envReward + judge
      : settings.combineMode === 'multiply'
        ? envReward * judge
        : judge;
  return { env: envReward, event: parts.event, outcome: parts.outcome, judge, combined, status: 'judged' };
}

/**
 * The original synth-ai blend: R = w_env·env + w_event·Σevent + w_outcome·outcome. An unjudged trajectory
 * keeps w_env·env and is marked `env_only`.
 */
export function blendRubricRewards(
  envReward: number,
  signal: JudgeSignal,
  weights: RubricBlendWeights,
): CombinedReward {
  if (!Number.isFinite(envReward)) return invalidEnv(envReward);
  const parts = judgeParts(signal, { outcome: weights.outcome, event: weights.event });
  if ('reason' in parts) return unjudged(envReward, weights.env * envReward, parts.reason);
  const judge = weights.event * (parts.event ?? 0) + weights.outcome * (parts.outcome ?? 0);
  return {
    env: envReward,
    event: parts.event,
    outcome: parts.outcome,
    judge,
    combined: weights.env * envReward + judge,
    status: 'judged',
  };
}
