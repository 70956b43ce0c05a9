/**
 * Reads shared by both drivers: one session whole, and selections streamed page by page (each page is one
 * short query, so no cursor or read transaction stays open between pages): keyset pages where SQLite walks
 * the order's index, else the selection's ids sorted once and held (see `pagesByIds`).
 * @module
 */
import { SynthError } from '../../errors.ts';
import type { SessionSelection, SessionSummary, SessionWithMessages } from '../store.ts';
import type { EventReward, JudgeMetadata, SessionTrace, TraceMessage } from '../types.ts';
import type { SqlExecutor, SqlRow, SqlValue } from './executor.ts';
import {
  decodeEvent,
  decodeJudgeMetadata,
  decodeMessage,
  decodeSummary,
  parseJsonText,
} from './row-decoding.ts';
import { selectionOrderKey, selectionWhere, selectionWindow } from './selection-sql.ts';

/** A session's first outcome row, joined to `s` (its summary's `o_*` columns). */
export const OUTCOME_JOIN = `LEFT JOIN outcome_rewards o
  ON o.id = (SELECT MIN(id) FROM outcome_rewards WHERE session_id = s.session_id)`;
/** The columns a summary page reads; `decodeSummary` turns such a row into a SessionSummary. */
export const SUMMARY_COLUMNS = `s.session_id, s.created_at, s.metadata, s.total_reward, s.judge_metadata,
  s.num_timesteps, s.num_events, s.num_messages, o.total_reward AS o_total_reward,
  o.achievements_count AS o_achievements_count, o.total_steps AS o_total_steps,
  o.reward_metadata AS o_reward_metadata`;
const MESSAGE_COLUMNS = 'session_id, message_type, content, timestamp, event_time, message_time, metadata';

/** Rows per page when streaming. */
export const PAGE_SIZE = { summaries: 256, withMessages: 64, withRawMessages: 32 } as const;

/** Streams summary rows of a selection in order, `pageSize` at a time. */
export async function* pages(
  db: SqlExecutor,
  sel: SessionSelection,
  pageSize: number,
): AsyncGenerator<SessionSummary[]> {
  const where = selectionWhere(sel);
  // An unfiltered selection walks the created_at index in order, and a list of ids is short; any other
  // filter may be served by its own index, and SQLite then sorts what is left of the selection per page.
  if (sel.order === 'random' || (where.sql !== '1' && !sel.sessionIds?.length)) {
    yield* pagesByIds(db, sel, where, pageSize);
    return;
  }
  const key = selectionOrderKey(sel);
  const { limit, offset } = selectionWindow(sel);
  let left = limit;
  let after: [SqlValue, SqlValue] | null = null;
  let skip = offset;
  while (left > 0) {
    const n = Math.min(pageSize, left);
    const keyset = after ? ` AND (${key}, s.session_id) > (?, ?)` : '';
    const sql = `SELECT ${SUMMARY_COLUMNS}, ${key} AS _k FROM session_traces s ${OUTCOME_JOIN}
      WHERE (${where.sql})${keyset} ORDER BY ${key}, s.session_id LIMIT ? OFFSET ?`;
    const rows = await db.all(sql, [...where.args, ...(after ?? []), n, skip]);
    skip = 0;
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    after = [last['_k'] as SqlValue, last['session_id'] as SqlValue];
    left -= rows.length;
    yield rows.map(decodeSummary);
    if (rows.length < n) return;
  }
}

/**
 * A filtered or shuffled selection's pages: its ids sorted once, then read a page at a time. Keyset pages
 * would sort what is left of the selection again for every page where SQLite cannot walk it in order (and
 * the shuffle key costs ~100 SQL operations a row): a 10,000-session shuffle took 28 s that way, and a
 * 10,000-session DPO export of one split 4.1 s against 2.2 s unfiltered. Holds the selected ids (tens of
 * bytes each) in memory.
 */
async function* pagesByIds(
  db: SqlExecutor,
  sel: SessionSelection,
  where: ReturnType<typeof selectionWhere>,
  pageSize: number,
): AsyncGenerator<SessionSummary[]> {
  const { limit, offset } = selectionWindow(sel);
  const ids = (
    await db.all(
      `SELECT s.session_id FROM session_traces s WHERE (${where.sql})
       ORDER BY ${selectionOrderKey(sel)}, s.session_id LIMIT ? OFFSET ?`,
      [...where.args, Number.isFinite(limit) ? limit : -1, offset],
    )
  ).map((row) => String(row['session_id']));
  for (let at = 0; at < ids.length; at += pageSize) {
    const chunk = ids.slice(at, at + pageSize);
    const rows = await db.all(
      `SELECT ${SUMMARY_COLUMNS} FROM session_traces s ${OUTCOME_JOIN}
       WHERE s.session_id IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(chunk)],
    );
    const byId = new Map(rows.map((row) => [String(row['session_id']), row]));
    // A session deleted since the ids were read is left out.
    const page = chunk.flatMap((id) => {
      const row = byId.get(id);
      return row ? [decodeSummary(row)] : [];
    });
    if (page.length > 0) yield page;
  }
}

/** Streams the summaries of a selection. */
export async function* listSessions(
  db: SqlExecutor,
  sel: SessionSelection = {},
): AsyncGenerator<SessionSummary> {
  for await (const page of pages(db, sel, PAGE_SIZE.summaries)) yield* page;
}

/** Streams summaries with their messages (ordered by timestamp, then insertion). */
export async function* iterateSessionsWithMessages(
  db: SqlExecutor,
  sel: SessionSelection = {},
): AsyncGenerator<SessionWithMessages> {
  for await (const page of pages(db, sel, PAGE_SIZE.withMessages)) {
    const ids = JSON.stringify(page.map((s) => s.session_id));
    const rows = await db.all(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session_id IN (SELECT value FROM json_each(?))
       ORDER BY session_id, timestamp, id`,
      [ids],
    );
    const bySession = new Map<string, TraceMessage[]>();
    for (const row of rows) {
      const id = String(row['session_id']);
      const list = bySession.get(id) ?? [];
      if (list.length === 0) bySession.set(id, list);
      list.push(decodeMessage(row));
    }
    for (const s of page) yield { ...s, messages: bySession.get(s.session_id) ?? [] };
  }
}

/** Counts a selection (limit and offset apply). */
export async function countSessions(db: SqlExecutor, sel: SessionSelection = {}): Promise<number> {
  const where = selectionWhere(sel);
  const { limit, offset } = selectionWindow(sel);
  const row = (await db.all(`SELECT COUNT(*) AS n FROM session_traces s WHERE ${where.sql}`, where.args))[0];
  const n = Number(row?.['n'] ?? 0);
  return Math.max(0, Math.min(n - offset, limit));
}

/** Current judge_metadata of a session; throws when the session does not exist. */
export async function readJudgeMetadata(db: SqlExecutor, sessionId: string): Promise<JudgeMetadata | null> {
  const row = (
    await db.all('SELECT judge_metadata FROM session_traces WHERE session_id = ?', [sessionId])
  )[0];
  if (!row) throw new SynthError(`no session ${sessionId} in the trace DB`, { hint: 'check the session id' });
  return decodeJudgeMetadata(row['judge_metadata'], sessionId);
}

/** The whole trace: from `trace_data` when we wrote it, else rebuilt from the v3 rows. */
export async function getSession(db: SqlExecutor, sessionId: string): Promise<SessionTrace | null> {
  const row = (
    await db.all(
      `SELECT s.*, ${SUMMARY_COLUMNS} FROM session_traces s ${OUTCOME_JOIN} WHERE s.session_id = ?`,
      [sessionId],
    )
  )[0];
  if (!row) return null;
  const summary = decodeSummary(row);
  const stored = parseJsonText(row['trace_data']) as SessionTrace | undefined;
  // judge_metadata is read from its column: judges and sqlite3 users update it after the trace is written.
  if (stored && typeof stored === 'object') return { ...stored, judge_metadata: summary.judge_metadata };
  return rebuildFromRows(db, row, summary);
}

async function rebuildFromRows(db: SqlExecutor, row: SqlRow, summary: SessionSummary): Promise<SessionTrace> {
  const id = summary.session_id;
  const steps = await db.all('SELECT * FROM session_timesteps WHERE session_id = ? ORDER BY step_index, id', [
    id,
  ]);
  const events = await db.all('SELECT * FROM events WHERE session_id = ? ORDER BY id', [id]);
  const messages = await db.all('SELECT * FROM messages WHERE session_id = ? ORDER BY timestamp, id', [id]);
  const rewards = await db.all('SELECT * FROM event_rewards WHERE session_id = ? ORDER BY id', [id]);
  const eventIndex = new Map(events.map((e, i) => [Number(e['id']), i]));
  const messageIndex = new Map(messages.map((m, i) => [Number(m['id']), i]));
  const eventList = events.map(decodeEvent);
  const messageList = messages.map(decodeMessage);
  const timesteps = steps.map((s, i) => ({
    step_id: String(s['step_id']),
    step_index: Number(s['step_index'] ?? i),
    timestamp: String(s['started_at'] ?? summary.created_at),
    turn_number: (s['turn_number'] as number | null) ?? null,
    events: eventList.filter((_, k) => events[k]!['timestep_id'] === s['id']),
    markov_blanket_messages: messageList.filter((_, k) => messages[k]!['timestep_id'] === s['id']),
    step_metadata: (parseJsonText(s['step_metadata']) as never) ?? {},
    completed_at: (s['completed_at'] as string | null) ?? null,
  }));
  const eventRewards: EventReward[] = rewards.flatMap((r) => {
    const index = eventIndex.get(Number(r['event_id']));
    if (index === undefined) return [];
    const messageId = r['message_id'];
    return [
      {
        event_index: index,
        message_index: messageId === null ? null : (messageIndex.get(Number(messageId)) ?? null),
        turn_number: (r['turn_number'] as number | null) ?? null,
        reward_value: Number(r['reward_value'] ?? 0),
        reward_type: String(r['reward_type'] ?? ''),
        key: (r['key'] as string | null) ?? null,
        annotation: (parseJsonText(r['annotation']) ?? null) as never,
        source: String(r['source'] ?? ''),
      },
    ];
  });
  return {
    session_id: id,
    created_at: summary.created_at,
    session_time_steps: timesteps,
    event_history: eventList,
    markov_blanket_message_history: messageList,
    metadata: summary.metadata as SessionTrace['metadata'],
    session_metadata: (parseJsonText(row['session_metadata']) ?? undefined) as never,
    event_rewards: eventRewards,
    outcome: summary.outcome,
    judge_metadata: summary.judge_metadata,
  };
}
