/**
 * What one `synth-ai filter` run needs, as a library user passes it, and the `[filter]` table (read by the
 * config module) mapped to it.
 * @module
 */
import { type LoadConfigOptions, loadConfig } from '../config/load-config.ts';
import type { ResolvedFilterConfig } from '../config/schemas/filter.ts';
import { ConfigError } from '../errors.ts';
import type { FilterCriteria } from './criteria.ts';
import type { ExampleMode } from './examples.ts';

/** `sft`: chat fine-tuning lines; `dpo`: OpenAI preference pairs. */
export type OutputFormat = 'sft' | 'dpo';

/** Everything a filter run takes; criteria are the selection, the rest shapes the output. */
export interface FilterOptions {
  /** Trace DB: a path, `sqlite:///path`, `sqlite+aiosqlite:///path` or a `libsql://` URL. */
  db: string;
  /** The JSONL to write; `<output>.manifest.json` goes beside it. */
  output: string;
  criteria: FilterCriteria;
  /** @default 'turn' */
  mode: ExampleMode;
  /** @default 'sft' */
  format: OutputFormat;
  /** @default false: exact duplicate examples are dropped and counted. */
  keepDuplicates: boolean;
  /** DPO: the smallest score gap between the preferred and the rejected rollout. @default 0.1 */
  minGap: number;
  /** DPO: the judge name that ranks rollouts, or `official` for the environment's total reward. @default 'primary' */
  dpoScore: string;
  /** DPO: rollouts compete with others of the same seed, or with the same first prompt. @default 'seed' */
  dpoGroup: 'seed' | 'prompt';
}

/** The `[filter]` table as written: every field optional; flags fill or override it. */
export type WrittenFilterOptions = Partial<Omit<FilterOptions, 'criteria'>> & { criteria: FilterCriteria };

/**
 * Reads a config file's `[filter]` table through the config module (`loadConfig`): one TOML parser and one
 * schema for the project, so an unknown key gets "did you mean" and every problem names its `file:line`.
 */
export function loadFilterConfig(path: string, options: LoadConfigOptions = {}): WrittenFilterOptions {
  const config = loadConfig(path, options);
  if (!config.filter)
    throw new ConfigError([`config ${config.displayPath} has no [filter] table`], {
      hint: 'add a [filter] table',
    });
  return fromFilterConfig(config.filter);
}

/** Maps a validated `[filter]` table (see `src/config/schemas/filter.ts`) to the filter's options. */
export function fromFilterConfig(f: ResolvedFilterConfig): WrittenFilterOptions {
  const criteria: FilterCriteria = {
    splits: f.splits ? [...f.splits] : undefined,
    taskIds: f.task_ids ? [...f.task_ids] : undefined,
    models: f.models ? [...f.models] : undefined,
    minOfficialScore: f.min_official_score,
    maxOfficialScore: f.max_official_score,
    minJudgeScores: Object.keys(f.min_judge_scores).length ? { ...f.min_judge_scores } : undefined,
    maxJudgeScores: Object.keys(f.max_judge_scores).length ? { ...f.max_judge_scores } : undefined,
    minCreatedAt: f.min_created_at?.toISOString(),
    maxCreatedAt: f.max_created_at?.toISOString(),
    requireImages: f.require_images,
    limit: f.limit,
    offset: f.offset,
    shuffle: f.shuffle,
    shuffleSeed: f.shuffle_seed,
  };
  return {
    db: f.db,
    output: f.output,
    criteria: definedOnly(criteria),
    mode: f.mode,
    format: f.format,
    keepDuplicates: f.keep_duplicates,
    minGap: f.min_gap,
    dpoScore: f.dpo_score,
    dpoGroup: f.dpo_group,
  };
}

/**
 * Fills defaults and applies precedence (flags over file). Throws when `db` or `output` is missing.
 */
export function resolveFilterOptions(
  file: WrittenFilterOptions | undefined,
  flags: WrittenFilterOptions,
): FilterOptions {
  const merged: WrittenFilterOptions = { ...file, ...definedOnly(flags), criteria: {} };
  const criteria = { ...file?.criteria, ...definedOnly(flags.criteria) };
  for (const key of ['minJudgeScores', 'maxJudgeScores'] as const) {
    if (file?.criteria[key] || flags.criteria[key])
      criteria[key] = { ...file?.criteria[key], ...flags.criteria[key] };
  }
  const problems: string[] = [];
  if (!merged.db) problems.push('no trace DB given: set filter.db or pass --db');
  if (!merged.output) problems.push('no output given: set filter.output or pass --output');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    db: merged.db!,
    output: merged.output!,
    criteria,
    mode: merged.mode ?? 'turn',
    format: merged.format ?? 'sft',
    keepDuplicates: merged.keepDuplicates ?? false,
    minGap: merged.minGap ?? 0.1,
    dpoScore: merged.dpoScore ?? 'primary',
    dpoGroup: merged.dpoGroup ?? 'seed',
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
