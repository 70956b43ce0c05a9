/**
 * Inserts one session's rows on the embedded connection with cached prepared statements. Runs inside the
 * write queue's transaction, synchronously, so no read on the same connection can see it half done.
 * @module
 */
import type Database from 'libsql';
import { SynthError } from '../../errors.ts';
import type { SqlValue } from './executor.ts';
import {
  EVENT_COLUMNS,
  EVENT_REWARD_COLUMNS,
  MESSAGE_COLUMNS,
  OUTCOME_COLUMNS,
  SESSION_COLUMNS,
  type SessionRows,
  TIMESTEP_COLUMNS,
} from './session-rows.ts';

type Db = Database.Database;
type Stmt = Database.Statement;

const placeholders = (columns: string) =>
  columns
    .split(',')
    .map(() => '?')
    .join(', ');
const insertSql = (table: string, columns: string) =>
  `INSERT INTO ${table} (${columns}) VALUES (${placeholders(columns)})`;

/** Prepared statements for one connection. */
export interface SessionInserter {
  insert(rows: SessionRows): void;
}

/** Throws a SynthError naming the session when a reward points outside its events or messages. */
export function checkRewardRefs(rows: SessionRows): void {
  const sessionId = String(rows.session[0]);
  for (const r of rows.eventRewards) {
    if (!Number.isInteger(r.event) || r.event < 0 || r.event >= rows.events.length) {
      throw new SynthError(
        `session ${sessionId}: event reward points at event ${r.event}, which does not exist`,
        {
          hint: 'pass the index returned by recordEvent()',
        },
      );
    }
    if (r.message !== null && (r.message < 0 || r.message >= rows.messages.length)) {
      throw new SynthError(
        `session ${sessionId}: event reward points at message ${r.message}, which does not exist`,
      );
    }
  }
}

/** Builds the inserter; statements are prepared once and reused for every session. */
export function createSessionInserter(db: Db): SessionInserter {
  const stmt: Record<string, Stmt> = {
    session: db.prepare(insertSql('session_traces', SESSION_COLUMNS)),
    timestep: db.prepare(insertSql('session_timesteps', TIMESTEP_COLUMNS)),
    event: db.prepare(insertSql('events', EVENT_COLUMNS)),
    message: db.prepare(insertSql('messages', MESSAGE_COLUMNS)),
    reward: db.prepare(insertSql('event_rewards', EVENT_REWARD_COLUMNS)),
    outcome: db.prepare(insertSql('outcome_rewards', OUTCOME_COLUMNS)),
  };
  const run = (s: Stmt, values: readonly SqlValue[]) =>
    Number(s.run(...(values as SqlValue[])).lastInsertRowid);
  return {
    insert(rows) {
      checkRewardRefs(rows);
      const id = rows.session[0] as string;
      run(stmt.session!, rows.session);
      const stepIds = rows.timesteps.map((v) => run(stmt.timestep!, v));
      const at = (step: number | null) => (step === null ? null : (stepIds[step] ?? null));
      const eventIds = rows.events.map((e) => run(stmt.event!, [id, at(e.step), ...e.values]));
      const messageIds = rows.messages.map((m) => run(stmt.message!, [id, at(m.step), ...m.values]));
      for (const r of rows.eventRewards) {
        const messageId = r.message === null ? null : (messageIds[r.message] ?? null);
        run(stmt.reward!, [eventIds[r.event]!, id, messageId, ...r.values]);
      }
      if (rows.outcome) run(stmt.outcome!, rows.outcome);
    },
  };
}
