/**
 * A TraceStore over `@libsql/client`'s async API, for remote Turso / sqld (`libsql://`, `https://`).
 * Each session is one `batch` (one transaction, one round trip): ids of timesteps, events and messages
 * are found with sub-selects inside the batch instead of being read back between statements. Writes go
 * through a promise chain so a local `file:` client never overlaps transactions on its one connection.
 * @module
 */
import { SynthError } from '../../errors.ts';
import type { SqlExecutor, SqlRow, SqlValue } from '../sqlite/executor.ts';
import { checkRewardRefs } from '../sqlite/insert-session.ts';
import { migrate } from '../sqlite/migrations.ts';
import * as reads from '../sqlite/reads.ts';
import {
  buildSessionRows,
  EVENT_COLUMNS,
  EVENT_REWARD_COLUMNS,
  MESSAGE_COLUMNS,
  OUTCOME_COLUMNS,
  SESSION_COLUMNS,
  type SessionRows,
  TIMESTEP_COLUMNS,
} from '../sqlite/session-rows.ts';
import { explainWriteError } from '../sqlite/write-errors.ts';
import type { SessionSelection, TraceStore } from '../store.ts';
import type { JudgeMetadata, SessionTrace } from '../types.ts';

/** The part of `@libsql/client`'s result we read. */
interface ResultLike {
  columns: string[];
  rows: ArrayLike<unknown>[];
}
type Stmt = { sql: string; args: SqlValue[] };
interface TxLike {
  execute(stmt: Stmt): Promise<ResultLike>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): void;
}
/** The part of `@libsql/client`'s Client we call. */
export interface LibsqlClientLike {
  execute(stmt: Stmt): Promise<ResultLike>;
  batch(stmts: Stmt[], mode: 'write'): Promise<unknown>;
  transaction(mode: 'write'): Promise<TxLike>;
  close(): void;
}

const toRows = (rs: ResultLike): SqlRow[] =>
  Array.from(rs.rows, (r) => Object.fromEntries(rs.columns.map((c, i) => [c, (r as unknown[])[i]])));

function clientExecutor(
  run: (stmt: Stmt) => Promise<ResultLike>,
  client: LibsqlClientLike | null,
): SqlExecutor {
  const self: SqlExecutor = {
    all: async (sql, args = []) => toRows(await run({ sql, args: [...args] })),
    run: async (sql, args = []) => {
      await run({ sql, args: [...args] });
    },
    async transaction(work) {
      if (!client) return work(self);
      const tx = await client.transaction('write');
      try {
        const value = await work(clientExecutor((s) => tx.execute(s), null));
        await tx.commit();
        return value;
      } catch (error) {
        await tx.rollback().catch(() => undefined);
        throw error;
      } finally {
        tx.close();
      }
    },
  };
  return self;
}

const values = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const width = (cols: string) => cols.split(',').length;

/** The statements of one session, resolving ids by sub-select inside the batch. */
function sessionStatements(rows: SessionRows): Stmt[] {
  const id = rows.session[0] as string;
  const stepSql = '(SELECT id FROM session_timesteps WHERE session_id = ? AND step_id = ?)';
  const stepArgs = (step: number | null): SqlValue[] =>
    step === null ? [null, null] : [id, rows.timesteps[step]![1]!];
  const nth = (table: string) =>
    `(SELECT id FROM ${table} WHERE session_id = ? ORDER BY id LIMIT 1 OFFSET ?)`;
  const out: Stmt[] = [
    {
      sql: `INSERT INTO session_traces (${SESSION_COLUMNS}) VALUES (${values(width(SESSION_COLUMNS))})`,
      args: rows.session,
    },
  ];
  for (const t of rows.timesteps) {
    out.push({
      sql: `INSERT INTO session_timesteps (${TIMESTEP_COLUMNS}) VALUES (${values(width(TIMESTEP_COLUMNS))})`,
      args: t,
    });
  }
  const eventSql = `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ${stepSql}, ${values(width(EVENT_COLUMNS) - 2)})`;
  for (const e of rows.events) out.push({ sql: eventSql, args: [id, ...stepArgs(e.step), ...e.values] });
  const msgSql = `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ${stepSql}, ${values(width(MESSAGE_COLUMNS) - 2)})`;
  for (const m of rows.messages) out.push({ sql: msgSql, args: [id, ...stepArgs(m.step), ...m.values] });
  for (const r of rows.eventRewards) {
    const msg = r.message === null ? 'NULL' : nth('messages');
    out.push({
      sql: `INSERT INTO event_rewards (${EVENT_REWARD_COLUMNS}) VALUES (${nth('events')}, ?, ${msg}, ${values(width(EVENT_REWARD_COLUMNS) - 3)})`,
      args: [id, r.event, id, ...(r.message === null ? [] : [id, r.message]), ...r.values],
    });
  }
  if (rows.outcome) {
    out.push({
      sql: `INSERT INTO outcome_rewards (${OUTCOME_COLUMNS}) VALUES (${values(width(OUTCOME_COLUMNS))})`,
      args: rows.outcome,
    });
  }
  return out;
}

/** Opens a store over an existing client (migrating the schema); `display` must hold no credentials. */
export async function createClientTraceStore(client: LibsqlClientLike, display: string): Promise<TraceStore> {
  const ex = clientExecutor((s) => client.execute(s), client);
  await migrate(ex, display);
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
  let closed = false;
  const open = () => {
    if (closed)
      throw new SynthError(`trace store ${display} is closed`, {
        hint: 'open it again with openTraceStore()',
      });
  };
  return {
    location: display,
    async insertSession(trace: SessionTrace) {
      open();
      const rows = buildSessionRows(trace);
      checkRewardRefs(rows);
      await serial(() => client.batch(sessionStatements(rows), 'write')).catch((error) => {
        throw explainWriteError(error, trace.session_id);
      });
    },
    async getSession(id) {
      open();
      return reads.getSession(ex, id);
    },
    listSessions(sel?: SessionSelection) {
      open();
      return reads.listSessions(ex, sel);
    },
    iterateSessionsWithMessages(sel?: SessionSelection) {
      open();
      return reads.iterateSessionsWithMessages(ex, sel);
    },
    async countSessions(sel) {
      open();
      return reads.countSessions(ex, sel);
    },
    async mergeJudgeMetadata(sessionId: string, verdict: JudgeMetadata) {
      open();
      await serial(() =>
        ex.transaction(async (tx) => {
          const current = (await reads.readJudgeMetadata(tx, sessionId)) ?? {};
          await tx.run('UPDATE session_traces SET judge_metadata = ? WHERE session_id = ?', [
            JSON.stringify({ ...current, ...verdict }),
            sessionId,
          ]);
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await chain;
      client.close();
    },
  };
}

/** Connects to `url` with `@libsql/client` (loaded on first use) and opens the store. */
export async function openClientTraceStore(
  url: string,
  options: { authToken?: string; display?: string } = {},
): Promise<TraceStore> {
  const { createClient } = await import('@libsql/client');
  const client = createClient({ url, authToken: options.authToken }) as unknown as LibsqlClientLike;
  try {
    return await createClientTraceStore(client, options.display ?? url);
  } catch (error) {
    client.close();
    throw error;
  }
}
