/**
 * The write side of the embedded store: session inserts and judge-verdict merges, group-committed on one
 * connection. The store runs it on its own connection, or a writer thread runs it on the thread's.
 * @module
 */
import type Database from 'libsql';
import { SynthError } from '../../errors.ts';
import type { JudgeMetadata, SessionTrace } from '../types.ts';
import type { SqlRow, SqlValue } from './executor.ts';
import { createSessionInserter } from './insert-session.ts';
import { decodeJudgeMetadata } from './row-decoding.ts';
import { buildSessionRows, type SessionRows } from './session-rows.ts';
import { explainWriteError } from './write-errors.ts';
import { createWriteQueue } from './write-queue.ts';

/** Writes to one connection, in the order they were asked for. */
export interface StoreWriter {
  insertSession(trace: SessionTrace): Promise<void>;
  /** Inserts rows built by `buildSessionRows`. */
  insertRows(rows: SessionRows): Promise<void>;
  /** Merges `verdict` over the session's `judge_metadata`; a missing session is an error. */
  mergeJudgeMetadata(sessionId: string, verdict: JudgeMetadata): Promise<void>;
  /** Resolves when every write asked for so far has committed or failed. */
  drain(): Promise<void>;
  /** Group-commit batches and jobs so far. */
  stats(): { batches: number; jobs: number };
}

/** A writer on `db` (open, migrated); the options are the write queue's. */
export function createStoreWriter(
  db: Database.Database,
  options: { maxBatch?: number; lingerMs?: number } = {},
): StoreWriter {
  const inserter = createSessionInserter(db);
  const queue = createWriteQueue({ exec: (sql) => db.exec(sql) }, options);
  const readJudge = db.prepare('SELECT judge_metadata FROM session_traces WHERE session_id = ?');
  const writeJudge = db.prepare('UPDATE session_traces SET judge_metadata = ? WHERE session_id = ?');
  return {
    insertSession(trace) {
      return this.insertRows(buildSessionRows(trace));
    },
    async insertRows(rows) {
      await queue.enqueue(() => {
        try {
          inserter.insert(rows);
        } catch (error) {
          throw explainWriteError(error, String(rows.session[0]));
        }
      });
    },
    async mergeJudgeMetadata(sessionId, verdict) {
      await queue.enqueue(() => {
        const row = readJudge.get(sessionId) as SqlRow | undefined;
        if (!row)
          throw new SynthError(`no session ${sessionId} in the trace DB`, { hint: 'check the session id' });
        const current = decodeJudgeMetadata(row['judge_metadata'], sessionId) ?? {};
        writeJudge.run(JSON.stringify({ ...current, ...verdict }), sessionId as SqlValue);
      });
    },
    drain: () => queue.drain(),
    stats: () => queue.stats(),
  };
}
