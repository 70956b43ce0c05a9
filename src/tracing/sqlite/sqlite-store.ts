/**
 * The embedded TraceStore: one `libsql` connection in WAL mode, one writer. Concurrent `insertSession`
 * calls are group-committed by the write queue, so many rollouts tracing at once never contend for the
 * SQLite lock inside this process; `busy_timeout` covers other processes (a filter reading meanwhile).
 * @module
 */
import Database from 'libsql';
import { SynthError, UsageError } from '../../errors.ts';
import type { SessionSelection, TraceStore } from '../store.ts';
import type { JudgeMetadata, SessionTrace } from '../types.ts';
import type { SqlExecutor, SqlRow, SqlValue } from './executor.ts';
import { createSessionInserter } from './insert-session.ts';
import { migrate } from './migrations.ts';
import { preflightDbFile } from './preflight.ts';
import { iterateSessionsWithRawMessages } from './raw-reads.ts';
import * as reads from './reads.ts';
import { decodeJudgeMetadata } from './row-decoding.ts';
import { buildSessionRows } from './session-rows.ts';
import { explainWriteError } from './write-errors.ts';
import { createWriteQueue, type WriteQueue } from './write-queue.ts';

type Db = Database.Database;

/** Options of the embedded store. */
export interface SqliteTraceStoreOptions {
  /** Most sessions per group-commit transaction (default 256). */
  maxBatch?: number;
  /** How long to wait for another process's lock, in ms (default 10,000). */
  busyTimeoutMs?: number;
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

function openDatabase(file: string, busyTimeoutMs: number): Db {
  try {
    const db = new Database(file);
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    return db;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not a database|file is encrypted/i.test(message)) {
      throw new UsageError(`${file} is not a SQLite database`, {
        hint: 'point at a synth-ai trace DB, or at a new file name to create one',
      });
    }
    throw new UsageError(`cannot open trace DB ${file}: ${message}`, {
      hint: 'check the path and its permissions',
    });
  }
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
  const inserter = createSessionInserter(db);
  const queue: WriteQueue = createWriteQueue({ exec: (sql) => db.exec(sql) }, { maxBatch: options.maxBatch });
  const readJudge = db.prepare('SELECT judge_metadata FROM session_traces WHERE session_id = ?');
  const writeJudge = db.prepare('UPDATE session_traces SET judge_metadata = ? WHERE session_id = ?');
  let closed = false;
  const open = () => {
    if (closed)
      throw new SynthError(`trace store ${abs} is closed`, { hint: 'open it again with openTraceStore()' });
  };

  return {
    location: abs,
    async insertSession(trace: SessionTrace) {
      open();
      const rows = buildSessionRows(trace);
      await queue.enqueue(() => {
        try {
          inserter.insert(rows);
        } catch (error) {
          throw explainWriteError(error, trace.session_id);
        }
      });
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
      await queue.enqueue(() => {
        const row = readJudge.get(sessionId) as SqlRow | undefined;
        if (!row)
          throw new SynthError(`no session ${sessionId} in the trace DB`, { hint: 'check the session id' });
        const current = decodeJudgeMetadata(row['judge_metadata'], sessionId) ?? {};
        writeJudge.run(JSON.stringify({ ...current, ...verdict }), sessionId as SqlValue);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue.drain();
      db.close();
    },
    writeStats: () => queue.stats(),
  };
}
