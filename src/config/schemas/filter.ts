/**
 * `[filter]`: what `synth-ai filter` selects and where it writes (seeds 000 and 002, synth-ai-reference §4).
 * @module
 */
import { z } from 'zod';
import {
  checkMinMax,
  type DeepReadonly,
  isTable,
  nonNegativeInt,
  nonNegativeNumber,
  positiveInt,
  type Report,
  stringList,
  table,
  unitInterval,
  withRules,
} from './common.ts';
import { instant, toInstant } from './instant.ts';

/** Judge score thresholds by judge name (`primary`, `event`, `outcome`, or a named judge), each in [0, 1]. */
const judgeScores = () => z.record(z.string(), unitInterval());

const filterShape = {
  /** The trace store to read (path, `sqlite+aiosqlite:///...`, `libsql://...`). */
  db: z.string().min(1).optional(),
  /** Where to write the dataset (`.jsonl` or `.json`). */
  output: z.string().min(1).optional(),
  /** Keep sessions whose `metadata.task_split` is listed. */
  splits: stringList().optional(),
  task_ids: stringList().optional(),
  models: stringList().optional(),
  /** Bounds on the environment's total reward (unclamped). */
  min_official_score: z.number().optional(),
  max_official_score: z.number().optional(),
  min_judge_scores: judgeScores().optional(),
  max_judge_scores: judgeScores().optional(),
  /** The later original's names for the judge thresholds. */
  min_verifier_scores: judgeScores().optional(),
  max_verifier_scores: judgeScores().optional(),
  limit: positiveInt().optional(),
  /** @default 0 */
  offset: nonNegativeInt().optional(),
  /** @default false */
  shuffle: z.boolean().optional(),
  /** Needs `shuffle = true`. */
  shuffle_seed: z.int().optional(),
  min_created_at: instant().optional(),
  max_created_at: instant().optional(),
  /** Keep only sessions with image observations. @default false */
  require_images: z.boolean().optional(),
  /** One example per assistant turn, or one per whole conversation. @default "turn" */
  mode: z.enum(['turn', 'conversation']).optional(),
  /** Chat SFT lines, or DPO preference pairs. @default "sft" */
  format: z.enum(['sft', 'dpo']).optional(),
  /** Keep exact duplicate examples instead of dropping (and counting) them. @default false */
  keep_duplicates: z.boolean().optional(),
  /** DPO: the smallest score gap between the preferred and the rejected rollout. @default 0.1 */
  min_gap: nonNegativeNumber().optional(),
  /** DPO: the judge name that ranks rollouts, or `official` for the total reward. @default "primary" */
  dpo_score: z.string().min(1).optional(),
  /** DPO: pair rollouts of the same seed, or with the same first prompt. @default "seed" */
  dpo_group: z.enum(['seed', 'prompt']).optional(),
};

function checkFilter(value: Record<string, unknown>, report: Report): void {
  checkMinMax(value, 'min_official_score', 'max_official_score', report);
  for (const [judge, verifier] of [
    ['min_judge_scores', 'min_verifier_scores'],
    ['max_judge_scores', 'max_verifier_scores'],
  ] as const) {
    if (value[judge] !== undefined && value[verifier] !== undefined) {
      report([verifier], `${verifier} and ${judge} mean the same thing; keep one`);
    }
  }
  const mins = value.min_judge_scores ?? value.min_verifier_scores;
  const maxs = value.max_judge_scores ?? value.max_verifier_scores;
  if (isTable(mins) && isTable(maxs)) {
    for (const [name, min] of Object.entries(mins)) {
      const max = maxs[name];
      if (typeof min === 'number' && typeof max === 'number' && min > max) {
        report(
          ['min_judge_scores', name],
          `min_judge_scores.${name} (${min}) is greater than max_judge_scores.${name} (${max})`,
        );
      }
    }
  }
  if (value.shuffle_seed !== undefined && value.shuffle !== true) {
    report(['shuffle_seed'], 'shuffle_seed needs shuffle = true');
  }
  const from = toInstant(value.min_created_at);
  const to = toInstant(value.max_created_at);
  if (from && to && from.getTime() > to.getTime()) {
    report(
      ['min_created_at'],
      `min_created_at (${from.toISOString()}) is after max_created_at (${to.toISOString()})`,
    );
  }
  if (typeof value.output === 'string' && !/\.jsonl?$/i.test(value.output)) {
    report(['output'], `output "${value.output}" should end in .jsonl (or .json)`);
  }
}

/** The `[filter]` table as written. */
export const filterTableSchema = withRules(table(filterShape), checkFilter);

/** `[filter]` validated and resolved: verifier aliases folded into the judge thresholds, defaults applied. */
export const filterSchema = filterTableSchema.transform((f) => ({
  db: f.db,
  output: f.output,
  splits: f.splits,
  task_ids: f.task_ids,
  models: f.models,
  min_official_score: f.min_official_score,
  max_official_score: f.max_official_score,
  min_judge_scores: f.min_judge_scores ?? f.min_verifier_scores ?? {},
  max_judge_scores: f.max_judge_scores ?? f.max_verifier_scores ?? {},
  limit: f.limit,
  offset: f.offset ?? 0,
  shuffle: f.shuffle ?? false,
  shuffle_seed: f.shuffle_seed,
  min_created_at: f.min_created_at,
  max_created_at: f.max_created_at,
  require_images: f.require_images ?? false,
  mode: f.mode ?? 'turn',
  format: f.format ?? 'sft',
  keep_duplicates: f.keep_duplicates ?? false,
  min_gap: f.min_gap ?? 0.1,
  dpo_score: f.dpo_score ?? 'primary',
  dpo_group: f.dpo_group ?? 'seed',
}));

/** `[filter]` as written: every key optional. */
export type WrittenFilterConfig = z.input<typeof filterSchema>;
/** `[filter]` resolved: complete and readonly. */
export type ResolvedFilterConfig = DeepReadonly<z.output<typeof filterSchema>>;
