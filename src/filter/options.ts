/**
 * What one `synth-ai filter` run needs, as a library user passes it, and the `[filter]` TOML table mapped to it.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { ConfigError } from '../errors.ts';
import type { FilterCriteria } from './criteria.ts';
import type { ExampleMode } from './examples.ts';
import { parseTimeBound } from './time-bound.ts';

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

const LIST_KEYS = { splits: 'splits', task_ids: 'taskIds', models: 'models' } as const;
const SCORE_KEYS = {
  min_judge_scores: 'minJudgeScores',
  max_judge_scores: 'maxJudgeScores',
  min_verifier_scores: 'minJudgeScores',
  max_verifier_scores: 'maxJudgeScores',
} as const;

/** Every key `[filter]` accepts. */
export const FILTER_KEYS = [
  'db',
  'output',
  'min_judge_scores',
  'max_judge_scores',
  'min_verifier_scores',
  'max_verifier_scores',
  'min_official_score',
  'max_official_score',
  'splits',
  'task_ids',
  'models',
  'limit',
  'offset',
  'shuffle',
  'shuffle_seed',
  'require_images',
  'min_created_at',
  'max_created_at',
  'mode',
  'format',
  'keep_duplicates',
  'min_gap',
  'dpo_score',
  'dpo_group',
] as const;

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Maps a parsed `[filter]` table, collecting every problem before throwing once. */
export function parseFilterTable(table: Record<string, unknown>): WrittenFilterOptions {
  const problems: string[] = [];
  const out: WrittenFilterOptions = { criteria: {} };
  const c = out.criteria;
  const known = new Set<string>(FILTER_KEYS);
  for (const [key, value] of Object.entries(table)) {
    if (!known.has(key)) {
      problems.push(`unknown key filter.${key} (valid keys: ${FILTER_KEYS.join(', ')})`);
      continue;
    }
    const bad = (expected: string) =>
      problems.push(`filter.${key} must be ${expected} (got ${JSON.stringify(value) ?? String(value)})`);
    if (key === 'db' || key === 'output' || key === 'dpo_score') {
      if (typeof value !== 'string' || value === '') bad('a non-empty string');
      else if (key === 'db') out.db = value;
      else if (key === 'output') out.output = value;
      else out.dpoScore = value;
    } else if (key in LIST_KEYS) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number'))
        bad('a list of strings');
      else c[LIST_KEYS[key as keyof typeof LIST_KEYS]] = value.map(String);
    } else if (key in SCORE_KEYS) {
      if (!isTable(value)) {
        bad('a table of judge names to scores, e.g. min_judge_scores.primary = 0.7');
        continue;
      }
      const target = SCORE_KEYS[key as keyof typeof SCORE_KEYS];
      const scores: Record<string, number> = { ...c[target] };
      for (const [name, score] of Object.entries(value)) {
        if (typeof score !== 'number' || !Number.isFinite(score))
          problems.push(`filter.${key}.${name} must be a number in [0, 1] (got ${JSON.stringify(score)})`);
        else scores[name] = score;
      }
      c[target] = scores;
    } else if (key === 'min_official_score' || key === 'max_official_score' || key === 'min_gap') {
      if (typeof value !== 'number' || !Number.isFinite(value)) bad('a number');
      else if (key === 'min_gap') out.minGap = value;
      else c[key === 'min_official_score' ? 'minOfficialScore' : 'maxOfficialScore'] = value;
    } else if (key === 'limit' || key === 'offset' || key === 'shuffle_seed') {
      if (typeof value !== 'number' || !Number.isInteger(value)) bad('an integer');
      else c[key === 'shuffle_seed' ? 'shuffleSeed' : key] = value;
    } else if (key === 'shuffle' || key === 'require_images' || key === 'keep_duplicates') {
      if (typeof value !== 'boolean') bad('true or false');
      else if (key === 'keep_duplicates') out.keepDuplicates = value;
      else c[key === 'shuffle' ? 'shuffle' : 'requireImages'] = value;
    } else if (key === 'min_created_at' || key === 'max_created_at') {
      const iso = parseTimeBound(value);
      if (iso === undefined) bad('an ISO-8601 time or epoch seconds');
      else c[key === 'min_created_at' ? 'minCreatedAt' : 'maxCreatedAt'] = iso;
    } else if (key === 'mode') {
      if (value !== 'turn' && value !== 'conversation') bad('"turn" or "conversation"');
      else out.mode = value;
    } else if (key === 'format') {
      if (value !== 'sft' && value !== 'dpo') bad('"sft" or "dpo"');
      else out.format = value;
    } else if (key === 'dpo_group') {
      if (value !== 'seed' && value !== 'prompt') bad('"seed" or "prompt"');
      else out.dpoGroup = value;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, { hint: 'fix the [filter] table' });
  return out;
}

/** Reads a TOML file and maps its `[filter]` table. */
export function loadFilterConfig(path: string): WrittenFilterOptions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [`cannot read config ${path}: ${code === 'ENOENT' ? 'no such file' : String(code)}`],
      {
        hint: 'pass the path of a TOML file with a [filter] table',
      },
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ConfigError([`config ${path} is not valid TOML: ${first}`]);
  }
  const table = doc.filter;
  if (!isTable(table))
    throw new ConfigError([`config ${path} has no [filter] table`], { hint: 'add a [filter] table' });
  return parseFilterTable(table);
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
