/**
 * The filter's session stream read on the I/O thread: the thread pages the selection and reads each page's
 * messages a few pages ahead, so SQLite's reading overlaps building and writing examples. Same sessions,
 * same order, same messages as `readSessions`.
 * @module
 */
import { summaryScan } from '../tracing/sqlite/raw-reads.ts';
import type { SessionSelection } from '../tracing/store.ts';
import type { SessionReader } from './io-thread.ts';
import type { FilterSession } from './read-sessions.ts';

/** Sessions per page (as the store's raw stream reads them). */
const PAGE = 32;
/** Pages read ahead: enough that the main thread never waits on the reader, few enough to bound memory. */
const DEPTH = 4;

/**
 * Streams the selected sessions with `reader` (an I/O thread over the trace DB file). Memory holds at most
 * {@link DEPTH} pages of {@link PAGE} sessions, waiting serialized outside the heap, plus the page in use.
 */
export async function* readSessionsThreaded(
  selection: SessionSelection,
  reader: SessionReader,
): AsyncGenerator<FilterSession> {
  reader.scan(summaryScan(selection), PAGE, DEPTH);
  for (let page = await reader.take(); page; page = await reader.take()) {
    const size = page.size;
    for (let i = 0; i < size; i++) yield page.next();
  }
}
