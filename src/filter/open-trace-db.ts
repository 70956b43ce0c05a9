/**
 * Opens the trace DB a filter reads. A filter must never create a DB or migrate a file that is not a trace
 * DB, so a local path is checked first: it exists, it is SQLite, and it has `session_traces`.
 * @module
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'libsql';
import { UsageError } from '../errors.ts';
import { openTraceStore } from '../tracing/open-store.ts';
import type { TraceStore } from '../tracing/store.ts';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** A local file path for `path`, `sqlite:///path`, `sqlite+aiosqlite:///path`, `file:path`; null for remote URLs. */
export function localDbPath(location: string): string | null {
  const stripped = location.replace(/^sqlite(\+\w+)?:\/\/\//, '').replace(/^file:(\/\/)?/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(stripped)) return null;
  return resolve(stripped);
}

/** Throws one UsageError line unless `file` is an existing SQLite trace DB. */
export function assertTraceDbFile(file: string): void {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory())
      throw new UsageError(`trace DB ${file} is a folder`, { hint: 'set filter.db or --db to the .db file' });
    size = st.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`trace DB not found: ${file}`, {
      hint: 'set filter.db or --db to an existing trace DB (run synth-ai eval first)',
    });
  }
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || head.toString('latin1') !== SQLITE_MAGIC)
    throw new UsageError(`${file} is not a trace DB (not a SQLite file)`, {
      hint: 'set filter.db or --db to a DB written by synth-ai eval',
    });
  let hasTable = false;
  try {
    const db = new Database(file);
    try {
      hasTable =
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session_traces'").get() !==
        undefined;
    } finally {
      db.close();
    }
  } catch (error) {
    throw new UsageError(
      `${file} is not a readable trace DB (${error instanceof Error ? error.message : String(error)})`,
      {
        hint: 'set filter.db or --db to a DB written by synth-ai eval',
      },
    );
  }
  if (!hasTable)
    throw new UsageError(`${file} is not a trace DB (it has no session_traces table)`, {
      hint: 'set filter.db or --db to a DB written by synth-ai eval',
    });
}

/** How a filter opens a store; tests and library users may pass their own. */
export type OpenStore = (location: string) => Promise<TraceStore>;

/** Checks a local DB, then opens it with the tracing stage's `openTraceStore`. */
export async function openTraceDbForReading(location: string, open?: OpenStore): Promise<TraceStore> {
  const file = localDbPath(location);
  if (file) assertTraceDbFile(file);
  if (open) return open(file ?? location);
  const store = await openTraceStore(file ?? location);
  if (!store)
    throw new UsageError(`trace DB "${location}" means tracing is off`, {
      hint: 'set filter.db or --db to a trace DB',
    });
  return store;
}
