import Database from 'libsql';
import { UsageError } from '../errors.ts';
import type { JsonObject } from '../tracing/types.ts';
import type { OkVerdict } from './verdict.ts';

/** Where a cached verdict came from. */
export interface CachedJudgment {
  verdict: OkVerdict;
  createdAt: string;
}

/** Content-addressed verdicts: the same rubric version, judge and rendered trace are never graded twice. */
export interface JudgmentCache {
  get(key: string): CachedJudgment | null;
  /** Only ok verdicts are kept: errors and abstentions must be retried, never replayed. */
  put(
    key: string,
    verdict: OkVerdict,
    info: { judge: string; rubricId: string; rubricVersion: string; model: string },
  ): void;
  /** Rows in the table. */
  size(): number;
  close(): void;
}

const DDL = `CREATE TABLE IF NOT EXISTS judgments (
  cache_key TEXT PRIMARY KEY,
  judge TEXT NOT NULL,
  rubric_id TEXT NOT NULL,
  rubric_version TEXT NOT NULL,
  model TEXT NOT NULL,
  verdict TEXT NOT NULL,
  cost_usd REAL,
  created_at TEXT NOT NULL
)`;

/**
 * Opens the judgments cache: a `judgments` table (created if missing) in the given SQLite file, usually the
 * trace DB itself, so a DB carries its own cache. Its own connection, with a busy timeout, because the
 * trace store's writer may hold the lock for a moment.
 */
export function openJudgmentCache(file: string, options: { busyTimeoutMs?: number } = {}): JudgmentCache {
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    // A lost cache row after a power cut only costs a re-grade: skip the fsync per write.
    db.pragma('synchronous = NORMAL');
    db.exec(DDL);
  } catch (cause) {
    throw new UsageError(`cannot open the judgments cache in ${file}: ${(cause as Error).message}`, {
      hint: 'check the DB path and its permissions, or pass --no-cache',
    });
  }
  const read = db.prepare('SELECT verdict, created_at FROM judgments WHERE cache_key = ?');
  const write = db.prepare(
    `INSERT INTO judgments (cache_key, judge, rubric_id, rubric_version, model, verdict, cost_usd, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(cache_key) DO UPDATE SET verdict = excluded.verdict, cost_usd = excluded.cost_usd, created_at = excluded.created_at`,
  );
  const count = db.prepare('SELECT COUNT(*) AS n FROM judgments');
  let closed = false;
  // Writes are grouped into one transaction per tick: many judgments finish together at high concurrency.
  const pending = new Map<string, unknown[]>();
  let scheduled = false;
  const flush = db.transaction(() => {
    for (const args of pending.values()) write.run(...args);
    pending.clear();
  });
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      try {
        if (!closed && pending.size) flush();
      } catch {
        // A cache row that could not be written (DB busy past the timeout) only costs a later re-grade.
        pending.clear();
      }
    });
  };
  return {
    get(key) {
      const queued = pending.get(key);
      if (queued)
        return { verdict: JSON.parse(queued[5] as string) as OkVerdict, createdAt: queued[7] as string };
      const row = read.get(key) as { verdict: string; created_at: string } | undefined;
      if (!row) return null;
      try {
        const verdict = JSON.parse(row.verdict) as OkVerdict;
        return verdict.status === 'ok' ? { verdict, createdAt: row.created_at } : null;
      } catch {
        return null;
      }
    },
    put(key, verdict, info) {
      const cost = (verdict.metadata as JsonObject).cost_usd;
      pending.set(key, [
        key,
        info.judge,
        info.rubricId,
        info.rubricVersion,
        info.model,
        JSON.stringify(verdict),
        typeof cost === 'number' ? cost : null,
        new Date().toISOString(),
      ]);
      schedule();
    },
    size() {
      if (pending.size) flush();
      return Number((count.get() as { n: number }).n);
    },
    close() {
      if (closed) return;
      if (pending.size) flush();
      db.close();
      closed = true;
    },
  };
}
