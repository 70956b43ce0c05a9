import Database from 'libsql';
import { UsageError } from '../errors.ts';
import type { TaskRow } from './task-table.ts';

const HINT = 'write one read query, e.g. --metadata-sql "SELECT seed FROM tasks WHERE difficulty = \'hard\'"';

/** Blanks out string literals, quoted identifiers and comments so keyword checks see only SQL. */
function stripLiterals(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/**
 * Refuses anything but a single read query (SELECT or WITH … SELECT). The query also runs on a connection
 * switched to `query_only`, so a write that slips past this check still fails.
 */
export function assertReadQuery(sql: string): void {
  const bare = stripLiterals(sql).trim().replace(/;\s*$/, '');
  if (bare === '') throw new UsageError('--metadata-sql is empty', { hint: HINT });
  if (bare.includes(';'))
    throw new UsageError('--metadata-sql holds more than one statement', { hint: HINT });
  const first = /^\(?\s*([a-z]+)/i.exec(bare)?.[1]?.toLowerCase();
  if (first !== 'select' && first !== 'with') {
    throw new UsageError(
      `--metadata-sql must be a read query (SELECT or WITH), not ${first?.toUpperCase() ?? 'this'}`,
      {
        hint: HINT,
      },
    );
  }
  if (
    /\b(insert|update|delete|replace|drop|alter|create|attach|detach|pragma|vacuum|reindex)\b/i.test(bare)
  ) {
    throw new UsageError('--metadata-sql may only read: it contains a write or schema statement', {
      hint: HINT,
    });
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Runs a read query against an in-memory table `tasks` holding the taskset's metadata and returns the seeds
 * it selects: the `seed` column when present, else the first column. A non-integer value is an error.
 * @example runMetadataSql(rows, "SELECT seed FROM tasks WHERE difficulty = 'hard'")
 */
export function runMetadataSql(rows: readonly TaskRow[], sql: string): number[] {
  assertReadQuery(sql);
  const columns = ['seed', ...new Set(rows.flatMap((r) => Object.keys(r)).filter((k) => k !== 'seed'))];
  const db = new Database(':memory:');
  try {
    db.exec(
      `CREATE TABLE tasks (${columns.map((c) => (c === 'seed' ? 'seed INTEGER' : quoteIdent(c))).join(', ')})`,
    );
    const insert = db.prepare(
      `INSERT INTO tasks (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    db.transaction(() => {
      for (const row of rows) insert.run(...columns.map((c) => row[c] ?? null));
    })();
    db.pragma('query_only = ON');
    let statement: Database.Statement<unknown[]>;
    try {
      statement = db.prepare<unknown[]>(sql);
    } catch (error) {
      throw new UsageError(`--metadata-sql does not run: ${(error as Error).message}`, {
        hint: `the table is tasks(${columns.join(', ')})`,
      });
    }
    if (!statement.reader) throw new UsageError('--metadata-sql must return rows', { hint: HINT });
    const names = statement.columns().map((c) => c.name);
    const key = names.includes('seed') ? 'seed' : names[0];
    const seeds: number[] = [];
    for (const row of statement.all() as Record<string, unknown>[]) {
      const value = key === undefined ? undefined : row[key];
      const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw new UsageError(
          `--metadata-sql returned ${JSON.stringify(value)} in column ${key}, not a seed`,
          {
            hint: 'select the seed column, e.g. SELECT seed FROM tasks WHERE …',
          },
        );
      }
      if (!seeds.includes(n)) seeds.push(n);
    }
    return seeds;
  } finally {
    db.close();
  }
}
