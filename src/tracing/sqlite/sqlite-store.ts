/**
 * The embedded TraceStore: one `libsql` connection in WAL mode for reads, one writer (on that connection,
 * or on a thread of its own with `writeThread`). Concurrent `insertSession` calls are group-committed by
 * the writer's queue, so many rollouts tracing at once never contend for the SQLite lock inside this
 * process; `busy_timeout` covers other processes (a filter reading meanwhile).
 * @module
 */
import type Database from 'libsql';
import { SynthError, UsageError } from '../../errors.ts';
import type { SessionSelection, TraceStore } from '../store.ts';
import type { JudgeMetadata, SessionTrace } from '../types.ts';
import type { SqlExecutor, SqlRow, SqlValue } from './executor.ts';
import { migrate } from './migrations.ts';
import { openDatabase } from './open-database.ts';
import { preflightDbFile } from './preflight.ts';
import { iterateSessionsWithRawMessages } from './raw-reads.ts';
import * as reads from './reads.ts';
import { createStoreWriter, type StoreWriter } from './store-writer.ts';
import { createThreadStoreWriter, type ThreadStoreWriter } from './writer-thread.ts';

type Db = Database.Database;

/** Options of the embedded store. */
export interface SqliteTraceStoreOptions {
  /** Most sessions per group-commit transaction (default 256). */
  maxBatch?: number;
  /** How long to wait for another process's lock, in ms (default 10,000). */
  busyTimeoutMs?: number;
  /**
   * Write on a thread of its own (its own connection), so inserts and commits do not take the caller's
   * time: worth it when many sessions are written while other work runs (eval). Ignored for `:memory:`.
   * @default false
   */
  writeThread?: boolean;
}

/** The embedded store plus what benchmarks and tests look at. */
export interface SqliteTraceStore extends TraceStore {
  /** Group-commit batches and sessions written so far. */
  writeStats(): { batches: number; jobs: number };
}

function syncExecutor(db: Db): SqlExecutor {
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      if (cache.size > 200) cache.clear();
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  // Statements in raw mode (rows as arrays) are kept apart: the mode is a property of the statement.
  const arrays = new Map<string, Database.Statement>();
  const preparedArrays = (sql: string) => {
    let s = arrays.get(sql);
    if (!s) {
      if (arrays.size > 50) arrays.clear();
      s = db.prepare(sql);
      s.raw(true);
      arrays.set(sql, s);
    }
    return s;
  };
  const self: SqlExecutor = {
    all: async (sql, args = []) => prepared(sql).all(...(args as SqlValue[])) as SqlRow[],
    allArrays: async (sql, args = []) => preparedArrays(sql).all(...(args as SqlValue[])) as unknown[][],
    run: async (sql, args = []) => {
      if (args.length === 0 && !/^\s*(SELECT|PRAGMA)/i.test(sql)) db.exec(sql);
      else prepared(sql).run(...(args as SqlValue[]));
    },
    async transaction(work) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const value = await work(self);
        db.exec('COMMIT');
        return value;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
  return self;
}

/** Opens (creating and migrating as needed) the SQLite trace DB at `file`. */
export async function createSqliteTraceStore(
  file: string,
  options: SqliteTraceStoreOptions = {},
): Promise<SqliteTraceStore> {
  const abs = file === ':memory:' ? file : preflightDbFile(file);
  const db = openDatabase(abs, options.busyTimeoutMs ?? 10_000);
  const ex = syncExecutor(db);
  try {
    await migrate(ex, abs);
  } catch (error) {
    db.close();
    const message = error instanceof Error ? error.message : String(error);
    if (!SynthError.isInstance(error) && /not a database/i.test(message)) {
      throw new UsageError(`${abs} is not a SQLite database`, {
        hint: 'point at a synth-ai trace DB, or at a new file name to create one',
      });
    }
    throw error;
  }
  // An in-memory DB exists only on this connection, so its writes cannot move to another thread.
  const threaded = options.writeThread === true && abs !== ':memory:';
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  const thread: ThreadStoreWriter | null = threaded
    ? createThreadStoreWriter(abs, { maxBatch: options.maxBatch, busyTimeoutMs })
    : null;
  const writer: StoreWriter = thread ?? createStoreWriter(db, { maxBatch: options.maxBatch });
  let closed = false;
  const open = () => {
    if (closed)
      throw new SynthError(`trace store ${abs} is closed`, { hint: 'open it again with openTraceStore()' });
  };

  return {
    location: abs,
    async insertSession(trace: SessionTrace) {
      open();
      await writer.insertSession(trace);
    },
    async getSession(sessionId) {
      open();
      return reads.getSession(ex, sessionId);
    },
    listSessions(selection?: SessionSelection) {
      open();
      return reads.listSessions(ex, selection);
    },
    iterateSessionsWithMessages(selection?: SessionSelection) {
      open();
      return reads.iterateSessionsWithMessages(ex, selection);
    },
    iterateSessionsWithRawMessages(selection?: SessionSelection) {
      open();
      return iterateSessionsWithRawMessages(ex, selection);
    },
    async countSessions(selection) {
      open();
      return reads.countSessions(ex, selection);
    },
    async mergeJudgeMetadata(sessionId: string, verdict: JudgeMetadata) {
      open();
      await writer.mergeJudgeMetadata(sessionId, verdict);
    },
    async close() {
      if (closed) return;
      closed = true;
      await writer.drain();
      await thread?.close();
      db.close();
    },
    writeStats: () => writer.stats(),
  };
}
