/**
 * The filter's session stream with SQLite's message reads on a second thread: summaries are paged on this
 * thread through the store, while the reader thread fetches the messages of the next pages, so reading
 * overlaps building and writing examples. Same sessions, same order, same messages as {@link readSessions}.
 * @module
 */
import type { SessionSelection, SessionSummary, TraceStore } from '../tracing/store.ts';
import { startMessageReader } from './message-reader.ts';
import { decodeInPlace, type FilterSession } from './read-sessions.ts';

/** Sessions per request to the reader thread. */
const PAGE = 32;
/** Requests out at once: enough that the reader never waits on us, few enough to bound memory. */
const DEPTH = 4;

/**
 * Streams the selected sessions of the SQLite trace DB `file` (the file `store` has open), reading their
 * messages on a reader thread. Memory holds at most {@link DEPTH} pages of {@link PAGE} sessions.
 */
export async function* readSessionsThreaded(
  store: TraceStore,
  selection: SessionSelection,
  file: string,
): AsyncGenerator<FilterSession> {
  const reader = startMessageReader(file);
  const summaries = store.listSessions(selection)[Symbol.asyncIterator]();
  // Pages asked for and not yet taken, in order.
  const asked: SessionSummary[][] = [];
  let exhausted = false;
  const askAhead = async () => {
    while (!exhausted && asked.length < DEPTH) {
      const sessions: SessionSummary[] = [];
      while (sessions.length < PAGE) {
        const next = await summaries.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        sessions.push(next.value);
      }
      if (sessions.length === 0) break;
      reader.request(sessions.map((s) => s.session_id));
      asked.push(sessions);
    }
  };
  try {
    await askAhead();
    while (asked.length > 0) {
      const sessions = asked.shift()!;
      const messages = await reader.take();
      await askAhead();
      for (let i = 0; i < sessions.length; i++) {
        const summary = sessions[i]!;
        // Let go of each session once handed out, as the store's raw stream does.
        (sessions as (SessionSummary | undefined)[])[i] = undefined;
        // A new object, not the summary with messages added: the store's summary pages (256 at a time)
        // still hold the summaries, and would keep every session's messages alive until the page is done.
        yield { ...summary, messages: decodeInPlace(messages.next()) };
      }
    }
  } finally {
    await summaries.return?.();
    await reader.close();
  }
}
