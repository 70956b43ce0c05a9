import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import {
  type FilterCriteria,
  loadFilterConfig,
  parseTimeBound,
  resolveFilterOptions,
  runFilter,
  validateJsonlFile,
  type WrittenFilterOptions,
} from '../filter/index.ts';
import { formatFilterSummary } from '../filter/summary.ts';
import { type CommonOptions, loadCommonEnv, withCommonOptions } from './common.ts';

interface FilterFlags extends CommonOptions {
  config?: string;
  validate?: string;
  db?: string;
  output?: string;
  minJudge: string[];
  maxJudge: string[];
  minOfficial?: string;
  maxOfficial?: string;
  split: string[];
  taskId: string[];
  model: string[];
  limit?: string;
  offset?: string;
  shuffle?: boolean;
  shuffleSeed?: string;
  requireImages?: boolean;
  minCreatedAt?: string;
  maxCreatedAt?: string;
  mode?: string;
  format?: string;
  keepDuplicates?: boolean;
  minGap?: string;
  dpoScore?: string;
  dpoGroup?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function number(flag: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'} (got "${value}")`);
  return n;
}

function scores(flag: string, values: string[]): Record<string, number> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const entry of values) {
    const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(entry);
    if (!match)
      throw new UsageError(`${flag} takes NAME=SCORE (got "${entry}")`, { hint: `e.g. ${flag} primary=0.8` });
    out[match[1]!] = number(`${flag} ${match[1]}`, match[2])!;
  }
  return out;
}

function time(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const iso = parseTimeBound(value);
  if (iso === undefined)
    throw new UsageError(`${flag} must be an ISO-8601 time or epoch seconds (got "${value}")`);
  return iso;
}

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** Flags as a written config; only what was given, so the file fills the rest. */
function flagsToOptions(f: FilterFlags): WrittenFilterOptions {
  const criteria: FilterCriteria = {
    splits: f.split.length ? f.split : undefined,
    taskIds: f.taskId.length ? f.taskId : undefined,
    models: f.model.length ? f.model : undefined,
    minOfficialScore: number('--min-official', f.minOfficial),
    maxOfficialScore: number('--max-official', f.maxOfficial),
    minJudgeScores: scores('--min-judge', f.minJudge),
    maxJudgeScores: scores('--max-judge', f.maxJudge),
    minCreatedAt: time('--min-created-at', f.minCreatedAt),
    maxCreatedAt: time('--max-created-at', f.maxCreatedAt),
    requireImages: f.requireImages,
    limit: number('--limit', f.limit, true),
    offset: number('--offset', f.offset, true),
    shuffle: f.shuffle,
    shuffleSeed: number('--shuffle-seed', f.shuffleSeed, true),
  };
  return {
    db: f.db,
    output: f.output,
    criteria,
    mode: oneOf('--mode', f.mode, ['turn', 'conversation'] as const),
    format: oneOf('--format', f.format, ['sft', 'dpo'] as const),
    keepDuplicates: f.keepDuplicates,
    minGap: number('--min-gap', f.minGap),
    dpoScore: f.dpoScore,
    dpoGroup: oneOf('--dpo-group', f.dpoGroup, ['seed', 'prompt'] as const),
  };
}

/** `synth-ai filter`: judged traces → SFT JSONL or DPO pairs, plus a manifest; `--validate FILE` checks a file. */
export function registerFilterCommand(program: Command): void {
  withCommonOptions(
    program
      .command('filter')
      .description('export judged traces as a fine-tuning dataset (SFT JSONL or DPO pairs) with a manifest'),
  )
    .option('--config <file>', 'TOML file with a [filter] table')
    .option('--validate <file>', "check a JSONL file against OpenAI's fine-tuning format and exit")
    .option('--db <path>', 'trace DB (overrides filter.db)')
    .option('--output <path>', 'JSONL to write (overrides filter.output)')
    .option('--min-judge <name=score>', 'minimum judge score, e.g. primary=0.8 (repeatable)', collect, [])
    .option('--max-judge <name=score>', 'maximum judge score (repeatable)', collect, [])
    .option('--min-official <score>', 'minimum environment total reward (unclamped)')
    .option('--max-official <score>', 'maximum environment total reward')
    .option('--split <name>', 'keep this task split (repeatable)', collect, [])
    .option('--task-id <id>', 'keep this task id (repeatable)', collect, [])
    .option('--model <name>', 'keep sessions of this model (repeatable)', collect, [])
    .option('--limit <n>', 'write at most n examples')
    .option('--offset <n>', 'skip the first n examples')
    .option('--shuffle', 'read sessions in a seeded random order')
    .option('--shuffle-seed <n>', 'seed for --shuffle (recorded in the manifest)')
    .option('--require-images', 'keep only sessions with image observations')
    .option('--min-created-at <time>', 'ISO-8601 or epoch seconds (UTC)')
    .option('--max-created-at <time>', 'ISO-8601 or epoch seconds (UTC)')
    .option('--mode <mode>', 'turn (one example per assistant turn) or conversation')
    .option('--format <format>', 'sft (chat JSONL) or dpo (preference pairs)')
    .option('--keep-duplicates', 'keep exact duplicate examples')
    .option('--min-gap <score>', 'dpo: smallest score gap between preferred and rejected (default 0.1)')
    .option('--dpo-score <name>', 'dpo: judge name that ranks rollouts, or "official" (default primary)')
    .option('--dpo-group <by>', 'dpo: pair rollouts of the same seed or the same prompt (default seed)')
    .action(async (flags: FilterFlags) => {
      loadCommonEnv(flags);
      if (flags.validate !== undefined) {
        const report = await validateJsonlFile(flags.validate);
        for (const bad of report.bad) process.stdout.write(`${report.path}:${bad.line}: ${bad.reason}\n`);
        if (report.badCount > report.bad.length)
          process.stdout.write(`... and ${report.badCount - report.bad.length} more bad lines\n`);
        process.stdout.write(
          report.badCount === 0
            ? `OK: ${report.lines} lines valid -> ${report.path}\n`
            : `${report.badCount} of ${report.lines} lines invalid -> ${report.path}\n`,
        );
        process.exitCode = report.badCount === 0 ? 0 : 1;
        return;
      }
      const file = flags.config !== undefined ? loadFilterConfig(flags.config) : undefined;
      const options = resolveFilterOptions(file, flagsToOptions(flags));
      const result = await runFilter(options, { configFile: flags.config ?? null });
      process.stdout.write(formatFilterSummary(result));
    });
}
