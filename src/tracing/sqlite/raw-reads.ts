/**
 * The raw read path: sessions with their messages as stored (content and metadata left as JSON text), for
 * bulk readers such as the filter that would otherwise decode each row only to parse or copy it again.
 * @module
 */
import type { RawTraceMessage, SessionSelection, SessionSummary, SessionWithRawMessages } from '../store.ts';
import type { SqlExecutor, SqlValue } from './executor.ts';
import { OUTCOME_JOIN, PAGE_SIZE, pages, SUMMARY_COLUMNS } from './reads.ts';
import { selectionOrderKey, selectionWhere, selectionWindow } from './selection-sql.ts';

/** A page's messages as stored, by session id then recorded order. */
export const RAW_MESSAGES_SQL = `SELECT session_id, message_type, content, metadata FROM messages
  WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY session_id, timestamp, id`;

/** The message types the packed column gives as numbers, by number (see {@link summaryScan}). */
export const SESSION_MESSAGE_TYPES = ['system', 'user', 'assistant', 'tool_use', 'tool_result'] as const;

const TYPE_CODE = `CASE message_type WHEN 'system' THEN 0 WHEN 'user' THEN 1 WHEN 'assistant' THEN 2
  WHEN 'tool_use' THEN 3 WHEN 'tool_result' THEN 4 ELSE json_quote(message_type) END`;
/** A system row whose text is the reference (bound as the statement's first and second arguments). */
const SAME = `(message_type = 'system' AND content = ?)`;
const CONTENT_LENGTH = `CASE WHEN content IS NULL THEN -1 WHEN ${SAME} THEN -2 ELSE octet_length(content) END`;
const METADATA = `NULLIF(metadata, '{}')`;

/**
 * One session's messages packed by SQLite into one BLOB: a JSON array with three numbers per message (the
 * type, as a number for the known types of {@link SESSION_MESSAGE_TYPES} and as a JSON string otherwise; the
 * content's length in bytes of the DB's text encoding, as the BLOB holds it, -1 for NULL and -2 for a system
 * row repeating the reference text; the metadata's length, -1 for NULL or `{}`), a newline, then every
 * content and metadata text, one after the other. One value per session instead of four per message: the
 * driver's cost is per value, and reading the 100k-session bench this way took about a quarter less CPU. The
 * rows are visited in recorded order either by walking `idx_message_session_order` (the plan SQLite uses when
 * asked for that order, with no sort) or, where that index is missing, by an ordered aggregate (correct,
 * slower: it sorts each session).
 */
function packedMessagesColumn(indexed: boolean): string {
  const order = indexed ? '' : ' ORDER BY timestamp, id';
  const from = indexed ? 'messages INDEXED BY idx_message_session_order' : 'messages';
  return `(SELECT CAST(coalesce('[' || group_concat(${TYPE_CODE} || ',' || ${CONTENT_LENGTH} || ',' ||
    coalesce(octet_length(${METADATA}), -1), ','${order}) || ']', '[]') || char(10) ||
    coalesce(group_concat(CASE WHEN content IS NULL OR ${SAME} THEN '' ELSE content END ||
    coalesce(${METADATA}, ''), ''${order}), '') AS BLOB)
    FROM ${from} WHERE session_id = p.value)`;
}

/**
 * A selection as SQL for a reader with a connection of its own (the filter's I/O thread), which steps one
 * statement through the whole selection instead of paging it with a statement per page: a selection SQLite
 * must sort (a shuffle, a filter served by another index than the order's) is then sorted once, where
 * keyset pages sorted what was left of it for every page (a 10,000-session shuffle took 28 s).
 * - `summaries` takes `args`, then the limit (-1 for none) and the offset; its rows are summary rows.
 * - `messages` (in order of preference: the first walks the ordering index, which an older DB may lack, and
 *   then fails to prepare; the second works on any DB) takes the reference text twice (NULL for none), then
 *   a JSON array of session ids, and answers a row `[index in that array, packed messages]` per session
 *   (see {@link packedMessagesColumn}), in no particular order.
 */
export interface SummaryScan {
  summaries: string;
  args: SqlValue[];
  limit: number;
  offset: number;
  messages: [string, string];
}

/** The scan SQL of a selection (see {@link SummaryScan}). */
export function summaryScan(sel: SessionSelection = {}): SummaryScan {
  const where = selectionWhere(sel);
  const key = selectionOrderKey(sel);
  const messages = (indexed: boolean) => `SELECT p.key, ${packedMessagesColumn(indexed)} FROM json_each(?) p`;
  const { limit, offset } = selectionWindow(sel);
  return {
    summaries: `SELECT ${SUMMARY_COLUMNS} FROM session_traces s ${OUTCOME_JOIN}
      WHERE (${where.sql}) ORDER BY ${key}, s.session_id LIMIT ? OFFSET ?`,
    args: where.args,
    limit: Number.isFinite(limit) ? limit : -1,
    offset,
    messages: [messages(true), messages(false)],
  };
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** One page's messages, as stored, by session id. */
async function rawMessagesOf(db: SqlExecutor, ids: string[]): Promise<Map<string, RawTraceMessage[]>> {
  const args = [JSON.stringify(ids)];
  const rows = db.allArrays
    ? await db.allArrays(RAW_MESSAGES_SQL, args)
    : (await db.all(RAW_MESSAGES_SQL, args)).map((r) => [
        r['session_id'],
        r['message_type'],
        r['content'],
        r['metadata'],
      ]);
  // Rows come grouped by session id (the index order), not in the page's order.
  const bySession = new Map<string, RawTraceMessage[]>();
  let current: RawTraceMessage[] = [];
  let currentId: unknown;
  for (const row of rows) {
    if (row[0] !== currentId) {
      currentId = row[0];
      current = [];
      bySession.set(String(currentId), current);
    }
    current.push({ message_type: String(row[1]), content: text(row[2]), metadata: text(row[3]) });
  }
  return bySession;
}

/**
 * Streams summaries with their messages as stored: four columns per message, read as arrays when the driver
 * can, and no JSON parsed. The same order as {@link iterateSessionsWithMessages}. A session is let go of as
 * soon as it is handed out, so a page that is half read keeps only its other half alive (less for the
 * garbage collector to promote while the reader works).
 */
export async function* iterateSessionsWithRawMessages(
  db: SqlExecutor,
  sel: SessionSelection = {},
): AsyncGenerator<SessionWithRawMessages> {
  for await (const page of pages(db, sel, PAGE_SIZE.withRawMessages)) {
    const bySession = await rawMessagesOf(
      db,
      page.map((s) => s.session_id),
    );
    for (let i = 0; i < page.length; i++) {
      const summary = page[i]!;
      const messages = bySession.get(summary.session_id) ?? [];
      bySession.delete(summary.session_id);
      (page as (SessionSummary | undefined)[])[i] = undefined;
      yield Object.assign(summary, { messages });
    }
  }
}
