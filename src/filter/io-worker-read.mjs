// @ts-check
/**
 * The I/O thread's reading (see `io-worker.mjs` for the protocol): steps through the selection on its own
 * connection and hands each page's sessions, with their messages as SQLite packed them, to the main thread.
 * @module
 */
import Database from 'libsql';
import { secretCheck, sha1PrefixInto } from './io-worker-digest.mjs';

/**
 * @typedef {{ summaries: string; args: unknown[]; limit: number; offset: number; messages: string[] }} SummaryScan
 * @typedef {{ file: string; types: string[]; cacheKib: number;
 *   pages: import('node:worker_threads').MessagePort; secrets?: { pattern: string; flags: string; exact: string } }} ReadSetup
 */

/**
 * How a DB's texts come as bytes (a BLOB cast from text keeps the DB's encoding, and `octet_length` counts
 * in it): Node's decoder name, the bytes per code unit, and whether the bytes are big-endian (swapped first).
 * @param {string} encoding what `PRAGMA encoding` says
 */
function textEncoding(encoding) {
  const name = encoding.toUpperCase();
  if (name === 'UTF-16LE') return { decoder: /** @type {const} */ ('utf16le'), unit: 2, swap: false };
  if (name === 'UTF-16BE') return { decoder: /** @type {const} */ ('utf16le'), unit: 2, swap: true };
  return { decoder: /** @type {const} */ ('utf8'), unit: 1, swap: false };
}

/**
 * Where the packed header ends: the first newline code unit (the header is JSON, which holds none).
 * @param {Buffer} bytes
 * @param {number} unit bytes per code unit
 */
function headerEnd(bytes, unit) {
  if (unit === 1) return bytes.indexOf(10);
  for (let i = 0; i + 1 < bytes.length; i += 2) if (bytes[i] === 10 && bytes[i + 1] === 0) return i;
  return -1;
}

/**
 * The first of `sqls` that prepares on `db` (a later one is the fallback for a DB without what an earlier one
 * needs), in raw mode; the last one's error when none does.
 * @param {import('libsql').Database} db
 * @param {string[]} sqls
 */
function prepareFirst(db, sqls) {
  let failure;
  for (const sql of sqls) {
    try {
      return db.prepare(sql).raw(true);
    } catch (error) {
      failure = error;
    }
  }
  throw failure ?? new Error('no statement to prepare');
}

/** A BLOB as the driver hands it over (a Buffer in raw rows, an ArrayBuffer in objects), or empty for NULL. */
function blobBytes(/** @type {unknown} */ value) {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.alloc(0);
}

/**
 * How many read pages must wait to be taken for this thread to check and hash the next page's texts itself.
 * With fewer, the main thread is about to run out of pages: this one leaves the texts to it and reads on.
 */
const DIGEST_AHEAD = 2;

/**
 * The reading side of the thread: `start` a scan, `credit` the pages taken, note a `hurry`.
 * @param {ReadSetup} setup
 * @param {Pick<import('node:worker_threads').MessagePort, 'postMessage'>} port the `answers` port, told of each page
 * @param {() => void} [pump] delivers the requests waiting for this thread (pages taken, buffers to write):
 *   called between pages, so that they are seen while the thread reads on
 */
export function createReading(setup, port, pump = () => {}) {
  const db = new Database(setup.file);
  // This connection only reads; query_only makes any write through it an error.
  db.exec('PRAGMA query_only = 1');
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec(`PRAGMA cache_size = -${Math.trunc(setup.cacheKib)}`);
  const { decoder, unit, swap } = textEncoding(
    String(/** @type {unknown[]} */ (db.prepare('PRAGMA encoding').raw(true).get())[0]),
  );
  const pages = setup.pages;
  const mayHoldSecret = secretCheck(setup.secrets);

  /**
   * The system prompt the main thread holds as its reference: a row repeating it goes over as length -2.
   * A page's messages are read bound to the reference at the page's start (see `summaryScan` in
   * `raw-reads.ts`), so SQLite leaves out the text of every system row repeating that one.
   */
  let reference = /** @type {string | null} */ (null);

  /**
   * Reads the messages of a page's sessions, packed by SQLite, for the main thread: each session's bytes go
   * over as they are (transferred, not copied), with per message its type's index and the byte lengths of
   * its content (-1 NULL, -2 the reference text, -3 the page's next `extras` text) and metadata (-1 none).
   * A system row with other text than the reference becomes the reference after it, on both sides. The page
   * says which reference it starts with. With `withDigests`, the texts are checked for secrets and hashed
   * (see `io-worker.mjs`).
   * @param {import('libsql').Statement} statement `messages` of the scan
   * @param {unknown[]} ids the page's session ids
   * @param {boolean} withDigests
   */
  function readMessages(statement, ids, withDigests) {
    // The reference at the page's start: what SQLite leaves out, and what the main thread starts the page with.
    const bound = reference;
    /** @type {unknown[]} Each session's packed messages, at its place in the page. */
    const packed = new Array(ids.length);
    for (const row of /** @type {unknown[][]} */ (statement.all(bound, bound, JSON.stringify(ids))))
      packed[/** @type {number} */ (row[0])] = row[1];
    const counts = new Int32Array(ids.length);
    /** Per session, where its texts start in its bytes (after the header). */
    const starts = new Int32Array(ids.length);
    /** @type {Uint8Array[]} */
    const bodies = [];
    /** @type {number[]} */
    const lens = [];
    /** @type {number[]} Per message: 1 when the content was checked free of secrets and hashed, then the hash. */
    const digests = [];
    /** @type {string[]} Texts the bytes do not hold: the bound reference, once the reference has moved on. */
    const extras = [];
    /** @type {string[]} Known types first, at their numbers; others appended as met. */
    const types = [...setup.types];
    /** @type {Map<string, number>} */
    const typeIndex = new Map();
    const scratch = new Int32Array(2);
    for (let s = 0; s < ids.length; s++) {
      const bytes = blobBytes(packed[s]);
      // An odd length is a BLOB stored in a text column; its text is garbage either way, but not a crash.
      if (swap && bytes.length % 2 === 0) bytes.swap16();
      const split = headerEnd(bytes, unit);
      const head = /** @type {(number | string)[]} */ (
        split < 0 ? [] : JSON.parse(bytes.toString(decoder, 0, split))
      );
      let at = split + unit;
      starts[s] = at;
      bodies.push(bytes);
      counts[s] = head.length / 3;
      for (let h = 0; h < head.length; h += 3) {
        let t = head[h];
        if (typeof t !== 'number') {
          const name = String(t);
          let index = typeIndex.get(name);
          if (index === undefined) {
            index = types.length;
            types.push(name);
            typeIndex.set(name, index);
          }
          t = index;
        }
        let contentLength = /** @type {number} */ (head[h + 1]);
        const metadataLength = /** @type {number} */ (head[h + 2]);
        /** @type {string | null} The text, where this thread needs it: to hash it, or as the new reference. */
        let content = null;
        if (contentLength === -2 && bound !== reference) {
          // The main thread's reference has moved on since the bound text: that text goes over itself.
          content = bound;
          extras.push(/** @type {string} */ (bound));
          contentLength = -3;
        } else if (contentLength >= 0 && (t === 0 || withDigests))
          content = bytes.toString(decoder, at, at + contentLength);
        // System prompts repeat in every session: the main thread keeps their pieces, so they are not hashed.
        if (withDigests && t !== 0 && content !== null && !mayHoldSecret(content)) {
          sha1PrefixInto(content, scratch, 0);
          digests.push(1, scratch[0] ?? 0, scratch[1] ?? 0);
        } else digests.push(0, 0, 0);
        lens.push(t, contentLength, metadataLength);
        if (contentLength > 0) at += contentLength;
        if (metadataLength > 0) at += metadataLength;
        if (t === 0 && content !== null) reference = content;
      }
    }
    return {
      lens: Int32Array.from(lens),
      counts,
      starts,
      bodies,
      extras,
      types,
      digests: Int32Array.from(digests),
      reference: bound,
    };
  }

  /**
   * The selection being read: one statement stepped through it, a page at a time. It holds one read
   * snapshot until the export ends (in WAL mode, which every connection to a trace DB sets, writers go on;
   * see ARCHITECTURE.md for why it is not paged).
   * @type {{ summaries: Iterator<Record<string, unknown>>; messages: import('libsql').Statement;
   *   pageSize: number; done: boolean; paged: number } | undefined}
   */
  let scan;
  /** Pages that may be read before the main thread takes one more. */
  let credits = 0;
  /** How many pages the scan may read ahead (its credits at the start). */
  let depth = 0;
  /** Whether the main thread had to wait for this thread since the last page (see `readAhead`). */
  let hurried = false;
  /** Whether `readAhead` is running: a request it delivers must not start it again. */
  let inReadAhead = false;

  /** The next page's summary rows; empty once the selection is exhausted. */
  function nextSummaries() {
    /** @type {Record<string, unknown>[]} */
    const rows = [];
    if (!scan || scan.done) return rows;
    while (rows.length < scan.pageSize) {
      const next = scan.summaries.next();
      if (next.done) {
        scan.done = true;
        break;
      }
      rows.push(next.value);
    }
    scan.paged += rows.length;
    return rows;
  }

  /** Reads pages while the main thread allows more. */
  function readAhead() {
    if (inReadAhead) return;
    inReadAhead = true;
    try {
      for (;;) {
        pump();
        if (!scan || credits <= 0) break;
        readPage(scan);
      }
    } finally {
      inReadAhead = false;
    }
  }

  /**
   * Reads and posts the next page of `current` (or its end).
   * @param {NonNullable<typeof scan>} current
   */
  function readPage(current) {
    // Checking and hashing texts is work either thread can do: this one does it while the main thread has
    // pages enough to work on, and not after the main thread said it had to wait on this one.
    const withDigests = !hurried && depth - credits >= DIGEST_AHEAD;
    credits--;
    try {
      const summaries = nextSummaries();
      if (summaries.length === 0) {
        pages.postMessage({ end: true, paged: current.paged });
        scan = undefined;
      } else {
        const page = readMessages(
          current.messages,
          summaries.map((row) => row['session_id']),
          withDigests,
        );
        hurried = false;
        /** @type {ArrayBuffer[]} */
        const moved = [page.lens.buffer, page.counts.buffer, page.starts.buffer, page.digests.buffer];
        // A body that owns its memory moves; one that shares it (a driver's pool) is copied by the message.
        for (const body of page.bodies)
          if (
            body.byteOffset === 0 &&
            body.byteLength === body.buffer.byteLength &&
            body.buffer instanceof ArrayBuffer
          )
            moved.push(body.buffer);
        pages.postMessage({ summaries, decoder, ...page }, moved);
      }
    } catch (error) {
      scan = undefined;
      pages.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
    port.postMessage({ page: 1 });
  }

  return {
    /**
     * Starts reading a selection, `pageSize` sessions a page, at most `ahead` pages ahead of the main thread,
     * and reads those.
     * @param {SummaryScan} selection
     * @param {number} pageSize
     * @param {number} ahead
     */
    start(selection, pageSize, ahead) {
      depth = ahead;
      credits = ahead;
      const messages = prepareFirst(db, selection.messages);
      const summaries = db.prepare(selection.summaries);
      scan = {
        summaries: /** @type {Iterator<Record<string, unknown>>} */ (
          summaries.iterate(...selection.args, selection.limit, selection.offset)
        ),
        messages,
        pageSize,
        done: false,
        paged: 0,
      };
      readAhead();
    },
    /**
     * The main thread took `n` more pages: as many more may be read (and are).
     * @param {number} n
     */
    credit(n) {
      credits += n;
      readAhead();
    },
    /** The main thread had to wait: the next page comes without digests. */
    hurry() {
      hurried = true;
    },
  };
}
