/**
 * RL's `[judge]` and `[judge.options]`: which judge grades trajectories and how its score is combined with
 * the environment reward (seed 001 §2, §4, §5, §8; synth-ai-reference §6).
 * @module
 */
import { z } from 'zod';
import {
  isTable,
  looseTable,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  type Report,
  table,
  withRules,
} from '../common.ts';
import { checkJudgeSpec, JUDGE_PROVIDERS, judgeSpecShape } from '../judge.ts';

/** How judge and environment rewards combine (seed 001 §4). */
export const COMBINE_MODES = ['weighted_sum', 'multiply', 'replace'] as const;
/** One of {@link COMBINE_MODES}. */
export type CombineMode = (typeof COMBINE_MODES)[number];

/** `[judge.options]`: the original's form of the judge settings. */
export const judgeOptionsSchema = withRules(
  table({
    provider: z.enum(JUDGE_PROVIDERS).optional(),
    model: z.string().min(1).optional(),
    rubric_id: z.string().min(1).optional(),
    /** @default true */
    event: z.boolean().optional(),
    /** @default true */
    outcome: z.boolean().optional(),
    timeout_s: positiveNumber().optional(),
    metadata: looseTable().optional(),
    rubric_overrides: looseTable().optional(),
    /** Deprecated in the original: ignored. */
    max_concurrency: positiveInt().optional(),
    /** Deprecated in the original: ignored. */
    tracks: z.array(z.string()).optional(),
    /** The older original's per-track weights; ignored. */
    weights: looseTable().optional(),
  }),
  (value, report) => {
    if (value.event === false && value.outcome === false) {
      report([], 'judge.options turns off both event and outcome judging; keep at least one on');
    }
  },
);

function checkRlJudge(value: Record<string, unknown>, report: Report): void {
  checkJudgeSpec(value, report);
  const options = isTable(value.options) ? value.options : {};
  for (const key of ['provider', 'model', 'rubric_id', 'timeout_s'] as const) {
    const own = key === 'provider' ? (value.provider ?? value.type) : value[key];
    if (own !== undefined && options[key] !== undefined && own !== options[key]) {
      report(
        ['options', key],
        `judge.options.${key} (${JSON.stringify(options[key])}) disagrees with judge.${key === 'provider' && value.provider === undefined ? 'type' : key} (${JSON.stringify(own)})`,
      );
    }
  }
}

/** `[judge]` as written. */
export const rlJudgeTableSchema = withRules(
  table({
    ...judgeSpecShape,
    /** Weight of per-step judge scores. @default 0 */
    event_weight: nonNegativeNumber().optional(),
    /** Weight of the episode judge score. @default 1 */
    outcome_weight: nonNegativeNumber().optional(),
    /** @default "weighted_sum" */
    combine_mode: z.enum(COMBINE_MODES).optional(),
    /** Multiplies judge scores (0-1) to the scale of environment rewards. @default 1 */
    judge_scale: nonNegativeNumber().optional(),
    options: judgeOptionsSchema.optional(),
    /** The older original's blend table; ignored (use `[rubric.weights]`). */
    reward_blend: looseTable().optional(),
  }),
  checkRlJudge,
);

/** `[judge]` resolved: `type`/`options` folded in, judging switched on by the weights unless set. */
export const rlJudgeSchema = rlJudgeTableSchema.transform((j) => {
  const o = j.options ?? {};
  const eventWeight = j.event_weight ?? 0;
  const outcomeWeight = j.outcome_weight ?? 1;
  return {
    enabled: j.enabled ?? true,
    provider: j.provider ?? j.type ?? o.provider,
    model: j.model ?? o.model,
    api_key_env: j.api_key_env,
    rubric_id: j.rubric_id ?? o.rubric_id,
    base_url: j.base_url,
    /** Grade steps: `options.event` or `event` when written, else on when `event_weight > 0`. */
    event: o.event ?? j.event ?? eventWeight > 0,
    /** Grade episodes: `options.outcome` or `outcome` when written, else on when `outcome_weight > 0`. */
    outcome: o.outcome ?? j.outcome ?? outcomeWeight > 0,
    timeout_s: o.timeout_s ?? j.timeout_s,
    sample_rate: j.sample_rate ?? 1,
    temperature: j.temperature,
    max_tokens: j.max_tokens,
    concurrency: j.concurrency,
    event_weight: eventWeight,
    outcome_weight: outcomeWeight,
    combine_mode: j.combine_mode ?? ('weighted_sum' as CombineMode),
    judge_scale: j.judge_scale ?? 1,
    metadata: o.metadata ?? {},
    rubric_overrides: o.rubric_overrides,
  };
});
