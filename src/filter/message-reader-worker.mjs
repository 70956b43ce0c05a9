// @ts-check
/**
 * The thread that reads stored messages for `synth-ai filter`, so SQLite's reading overlaps the main
 * thread's work of building, checking and writing examples. Plain JavaScript on purpose: a worker cannot run
 * our TypeScript without registering tsx again, and that starts one more loader thread per worker (tens of MB
 * and hundreds of ms), while this file needs only libsql.
 *
 * Protocol (see `message-reader.ts`): the main thread sends `{ ids }`; this thread answers each request, in
 * order, with `{ lens, counts, types, chunks }` followed by `chunks` strings, or with `{ error }`. A page's
 * content and metadata values travel packed, one after the other, in a few strings of at most
 * {@link CHUNK} characters (a value never straddles two), with their lengths in `lens` (-1 for SQL NULL):
 * a few strings are copied between threads, where thousands of small ones cost more to copy than SQLite took
 * to read them. Each chunk is its own message because V8 puts everything a message holds straight into the
 * old generation once the message passes 100 KB, and the main thread's old generation is only swept by full
 * collections. `counts[i]` is how many messages `ids[i]` has; `lens` holds, per message, an index into
 * `types` (each distinct message type once), then the content's length, then the metadata's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';

const { file, sql, cacheKib, pages } =
  /** @type {{ file: string; sql: string; cacheKib: number; pages: import('node:worker_threads').MessagePort }} */ (
    workerData
  );
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

const db = new Database(file);
// This connection only reads; query_only makes any write through it an error.
db.exec('PRAGMA query_only = 1');
db.exec('PRAGMA busy_timeout = 10000');
db.exec(`PRAGMA cache_size = -${Math.trunc(cacheKib)}`);
const statement = db.prepare(sql);
statement.raw(true);

/** Characters per packed string: under 100 KB even as two-byte text (see the header). */
const CHUNK = 40_000;

/** A column value as the store's raw path returns it: text, or null for SQL NULL. */
const text = (/** @type {unknown} */ v) => (v === null || v === undefined ? null : String(v));

/**
 * Reads and packs the messages of `ids`, in the order of `ids` (rows come grouped by session id, in the
 * index order, which is not the page's order).
 * @param {string[]} ids
 */
function readPage(ids) {
  const rows = /** @type {unknown[][]} */ (statement.all(JSON.stringify(ids)));
  /** @type {Map<unknown, number>} */
  const firstRow = new Map();
  for (let r = 0; r < rows.length; r++) {
    const id = /** @type {unknown[]} */ (rows[r])[0];
    if (r === 0 || id !== /** @type {unknown[]} */ (rows[r - 1])[0]) firstRow.set(id, r);
  }
  const counts = new Int32Array(ids.length);
  const lens = new Int32Array(rows.length * 3);
  /** @type {string[]} */
  const chunks = [];
  /** @type {string[]} */
  let parts = [];
  let partsLength = 0;
  const pack = (/** @type {string} */ value) => {
    if (partsLength > 0 && partsLength + value.length > CHUNK) {
      chunks.push(parts.join(''));
      parts = [];
      partsLength = 0;
    }
    parts.push(value);
    partsLength += value.length;
  };
  /** @type {string[]} */
  const types = [];
  /** @type {Map<string, number>} */
  const typeIndex = new Map();
  let k = 0;
  for (let s = 0; s < ids.length; s++) {
    const start = firstRow.get(ids[s]);
    if (start === undefined) continue;
    let r = start;
    for (; r < rows.length && /** @type {unknown[]} */ (rows[r])[0] === ids[s]; r++) {
      const row = /** @type {unknown[]} */ (rows[r]);
      const type = String(row[1]);
      let t = typeIndex.get(type);
      if (t === undefined) {
        t = types.length;
        types.push(type);
        typeIndex.set(type, t);
      }
      lens[k++] = t;
      const content = text(row[2]);
      lens[k++] = content === null ? -1 : content.length;
      if (content !== null) pack(content);
      const metadata = text(row[3]);
      lens[k++] = metadata === null ? -1 : metadata.length;
      if (metadata !== null) pack(metadata);
    }
    counts[s] = r - start;
  }
  if (parts.length > 0) chunks.push(parts.join(''));
  return { lens, counts, types, chunks };
}

// Pages go to `pages`, which the main thread reads only when it is ready to use one (so a page waits there
// serialized, outside the main thread's heap); a number on the parent port says one more is there.
port.on('message', (/** @type {{ ids: string[] }} */ request) => {
  try {
    const { lens, counts, types, chunks } = readPage(request.ids);
    pages.postMessage({ lens, counts, types, chunks: chunks.length }, [lens.buffer, counts.buffer]);
    for (const chunk of chunks) pages.postMessage(chunk);
  } catch (error) {
    pages.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
  port.postMessage(1);
});
