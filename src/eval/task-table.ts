/** One row of the taskset's metadata table: `seed` plus scalar columns. */
export type TaskRow = { seed: number } & Record<string, string | number | null>;

function obj(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function scalar(value: unknown): string | number | null | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** Flattens nested objects one level deep (`traits.trees` → `traits_trees`); lists are dropped. */
function flatten(
  source: Record<string, unknown>,
  into: Record<string, string | number | null>,
  prefix = '',
): void {
  for (const [key, value] of Object.entries(source)) {
    const s = scalar(value);
    if (s !== undefined) into[`${prefix}${key}`] = s;
    else if (prefix === '' && obj(value)) flatten(obj(value)!, into, `${key}_`);
  }
}

/**
 * Rows from a taskset description (GET /task_info with no seeds): our `taskset.tasks[]` rows, or synth-ai's
 * parallel lists `scenario_ids, loop_ids, thread_ids` with `difficulty_map`, indexed by seed.
 * Returns null when the taskset lists no tasks.
 */
export function rowsFromTaskset(body: unknown): TaskRow[] | null {
  const taskset = obj(obj(body)?.taskset) ?? obj(body);
  if (!taskset) return null;
  if (Array.isArray(taskset.tasks)) {
    const rows: TaskRow[] = [];
    for (const [i, task] of taskset.tasks.entries()) {
      const record = obj(task);
      if (!record) continue;
      const row: Record<string, string | number | null> = {};
      flatten(record, row);
      const seed = typeof row.seed === 'number' ? row.seed : i;
      rows.push({ ...row, seed });
    }
    return rows;
  }
  const lists = ['scenario_ids', 'loop_ids', 'thread_ids'].filter((k) => Array.isArray(taskset[k]));
  if (lists.length === 0) return null;
  const size = Math.max(...lists.map((k) => (taskset[k] as unknown[]).length));
  const difficulty = obj(taskset.difficulty_map) ?? {};
  const rows: TaskRow[] = [];
  for (let seed = 0; seed < size; seed++) {
    const row: TaskRow = { seed };
    for (const key of lists) row[key.slice(0, -1)] = scalar((taskset[key] as unknown[])[seed]) ?? null;
    const scenario = row.scenario_id;
    row.difficulty = scalar(difficulty[String(scenario)] ?? difficulty[String(seed)]) ?? null;
    rows.push(row);
  }
  return rows;
}

/**
 * Rows from per-seed TaskInfo objects (GET /task_info?seed=…): the seed, then every scalar of
 * `task_metadata` (nested objects flattened one level).
 */
export function rowsFromTaskInfos(seeds: readonly number[], body: unknown): TaskRow[] {
  const infos = Array.isArray(body) ? body : [body];
  return seeds.map((seed, i) => {
    const info = obj(infos[i]) ?? {};
    const row: Record<string, string | number | null> = {};
    flatten(obj(info.task_metadata) ?? {}, row);
    return { ...row, seed };
  });
}
