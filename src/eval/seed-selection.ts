import { UsageError } from '../errors.ts';
import type { TaskAppClient } from '../task-app/client.ts';
import { runMetadataSql } from './metadata-sql.ts';
import { rowsFromTaskInfos, rowsFromTaskset, type TaskRow } from './task-table.ts';

/** How to choose the seeds of a run. Filters stack: split, then SQL, then each KEY=VALUE. */
export interface SeedSelection {
  /** Candidate seeds (flag or config, else the defaults). */
  seeds: readonly number[];
  /** True when the seeds were named by the user, so the taskset's own list does not replace them. */
  seedsExplicit: boolean;
  split: string;
  /** `--metadata KEY=VALUE` pairs, all of which must match (exact, case-insensitive). */
  metadata: readonly (readonly [string, string])[];
  metadataSql: string | null;
}

/**
 * Parses `KEY=VALUE` strings from `--metadata` (repeatable) or a config table.
 * @example parseMetadataFilters(['difficulty=hard']) // [['difficulty', 'hard']]
 */
export function parseMetadataFilters(values: readonly string[]): [string, string][] {
  return values.map((text) => {
    const at = text.indexOf('=');
    if (at <= 0)
      throw new UsageError(`--metadata "${text}" is not KEY=VALUE`, {
        hint: 'e.g. --metadata difficulty=hard',
      });
    return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
  });
}

/**
 * The seeds to evaluate. Without filters these are the candidates unchanged; with filters the taskset's
 * metadata is fetched from the task app (GET /task_info), filtered, and what is left is returned in order.
 */
export async function selectSeeds(
  selection: SeedSelection,
  client: Pick<TaskAppClient, 'taskInfo'>,
  signal?: AbortSignal,
): Promise<number[]> {
  if (selection.metadata.length === 0 && selection.metadataSql === null) return [...selection.seeds];
  let rows = await loadTaskRows(selection, client, signal);
  if (rows.some((r) => typeof r.split === 'string')) {
    rows = rows.filter(
      (r) => typeof r.split !== 'string' || r.split.toLowerCase() === selection.split.toLowerCase(),
    );
  } else {
    rows = rows.map((r) => ({ ...r, split: selection.split }));
  }
  let seeds = rows.map((r) => r.seed);
  if (selection.metadataSql !== null) {
    const chosen = new Set(runMetadataSql(rows, selection.metadataSql));
    seeds = seeds.filter((s) => chosen.has(s));
  }
  const bySeed = new Map(rows.map((r) => [r.seed, r]));
  const known = new Set(rows.flatMap((r) => Object.keys(r)));
  for (const [key, value] of selection.metadata) {
    if (!known.has(key)) {
      throw new UsageError(`--metadata ${key}: the taskset has no such key`, {
        hint: `keys: ${[...known].sort().join(', ')}`,
      });
    }
    seeds = seeds.filter((s) => String(bySeed.get(s)?.[key] ?? '').toLowerCase() === value.toLowerCase());
  }
  if (seeds.length === 0) {
    throw new UsageError('no seeds are left after the metadata filters', {
      hint: 'loosen --metadata / --metadata-sql / --split, or check the taskset with GET /task_info',
    });
  }
  return seeds;
}

async function loadTaskRows(
  selection: SeedSelection,
  client: Pick<TaskAppClient, 'taskInfo'>,
  signal?: AbortSignal,
): Promise<TaskRow[]> {
  let taskset: TaskRow[] | null = null;
  try {
    taskset = rowsFromTaskset(await client.taskInfo({ signal }));
  } catch (error) {
    throw new UsageError(`cannot read the taskset for metadata filters: ${(error as Error).message}`, {
      hint: 'the task app must answer GET /task_info',
    });
  }
  if (taskset && taskset.length > 0) {
    if (!selection.seedsExplicit) return taskset;
    const wanted = new Set(selection.seeds);
    return taskset.filter((r) => wanted.has(r.seed));
  }
  try {
    return rowsFromTaskInfos(selection.seeds, await client.taskInfo(selection.seeds, { signal }));
  } catch (error) {
    throw new UsageError(`cannot read task metadata for the seeds: ${(error as Error).message}`, {
      hint: 'the task app must answer GET /task_info?seed=N',
    });
  }
}
