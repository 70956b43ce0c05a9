/**
 * Checks a local DB path before any work starts: the folder is created if missing, the location must be
 * writable (WAL needs to create files beside the DB), and an existing file must be a SQLite database.
 * Each problem is one UsageError line naming the path and the fix.
 * @module
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.ts';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : 'unknown error';
}

/** Validates `file` for writing, creating its folder; returns the absolute path. */
export function preflightDbFile(file: string): string {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the trace DB folder ${dir} (${errorCode(error)})`, {
      hint: 'pick a trace DB location you can write to (--trace-db, SQLD_DB_PATH or TURSO_LOCAL_DB_URL)',
    });
  }
  let size = -1;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) {
      throw new UsageError(`trace DB path ${abs} is a folder`, {
        hint: 'name a file inside it, e.g. synth_ai.db',
      });
    }
    size = st.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  // Probe by writing, not by access(2): root passes access checks even on read-only mounts.
  const probe = path.join(dir, `.${path.basename(abs)}.${process.pid}.probe`);
  for (const [target, attempt] of [
    [dir, () => closeSync(openSync(probe, 'wx'))],
    ...(size >= 0 ? [[abs, () => closeSync(openSync(abs, 'r+'))] as const] : []),
  ] as const) {
    try {
      attempt();
    } catch (error) {
      throw new UsageError(`trace DB location ${target} is not writable (${errorCode(error)})`, {
        hint: 'fix its permissions or choose another path (--trace-db, SQLD_DB_PATH or TURSO_LOCAL_DB_URL)',
      });
    } finally {
      if (target === dir) rmSync(probe, { force: true });
    }
  }
  if (size > 0) {
    const head = Buffer.alloc(16);
    const fd = openSync(abs, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    if (size < 100 || head.toString('latin1') !== SQLITE_MAGIC) {
      throw new UsageError(`${abs} is not a SQLite database`, {
        hint: 'point at a synth-ai trace DB, or at a new file name to create one',
      });
    }
  }
  return abs;
}
