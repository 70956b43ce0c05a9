/**
 * The raw read path: sessions with their messages as stored (content and metadata left as JSON text), for
 * bulk readers such as the filter that would otherwise decode each row only to parse or copy it again.
 * @module
 */
import type { RawTraceMessage, SessionSelection, SessionSummary, SessionWithRawMessages } from '../store.ts';
import type { SqlExecutor, SqlValue } from './executor.ts';
import { OUTCOME_JOIN, PAGE_SIZE, pages, SUMMARY_COLUMNS } from './reads.ts';
import { selectionOrderKey, selectionWhere, selectionWindow } from './selection-sql.ts';

/** A page's messages as stored, by session id then recorded order (the filter's I/O thread runs it too). */
export const RAW_MESSAGES_SQL = `SELECT session_id, message_type, content, metadata FROM messages
  WHERE session_id IN (SELECT value FROM json_each(?)) ORDER BY session_id, timestamp, id`;

/**
 * One session's messages for the filter's reading thread, as stored, in recorded order, with less for it to
 * materialize per row: known message types as numbers (0 system, 1 user, 2 assistant, 3 tool_use,
 * 4 tool_result; others as text), metadata `{}` as NULL (both mean none), and a content equal to the text
 * bound first and second (the system prompt seen last, repeated in every turn) as NULL with a third column
 * of 1. Arguments: that text (twice; NULL for none), then the session id.
 */
export const SESSION_MESSAGES_SQL = `SELECT CASE message_type WHEN 'system' THEN 0 WHEN 'user' THEN 1
    WHEN 'assistant' THEN 2 WHEN 'tool_use' THEN 3 WHEN 'tool_result' THEN 4 ELSE message_type END,
  CASE WHEN content = ? THEN NULL ELSE content END, content = ?, NULLIF(metadata, '{}')
  FROM messages WHERE session_id = ? ORDER BY timestamp, id`;

/** The message types {@link SESSION_MESSAGES_SQL} returns as numbers, by number. */
export const SESSION_MESSAGE_TYPES = ['system', 'user', 'assistant', 'tool_use', 'tool_result'] as const;

/**
 * A selection's summary pages as SQL, for a reader that pages by itself on its own connection (the filter's
 * I/O thread): the same keyset pagination as `pages` in `reads.ts`. `first` takes `args` then the page size and
 * the offset; `next` takes `args`, the last row's `_k` and `session_id`, then the page size and 0.
 */
export interface SummaryPaging {
  first: string;
  next: string;
  args: SqlValue[];
  limit: number;
  offset: number;
}

/** The paging SQL of a selection (see {@link SummaryPaging}). */
export function summaryPaging(sel: SessionSelection = {}): SummaryPaging {
  const where = selectionWhere(sel);
  const key = selectionOrderKey(sel);
  const sql = (
    keyset: string,
  ) => `SELECT ${SUMMARY_COLUMNS}, ${key} AS _k FROM session_traces s ${OUTCOME_JOIN}
    WHERE (${where.sql})${keyset} ORDER BY ${key}, s.session_id LIMIT ? OFFSET ?`;
  return {
    first: sql(''),
    next: sql(` AND (${key}, s.session_id) > (?, ?)`),
    args: where.args,
    ...selectionWindow(sel),
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
