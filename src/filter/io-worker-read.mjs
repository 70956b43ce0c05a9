// @ts-check
/**
 * The I/O thread's reading (see `io-worker.mjs` for the protocol): pages the selection on its own connection
 * and packs each page's messages for the main thread.
 * @module
 */
import Database from 'libsql';
import { secretCheck, sha1PrefixInto } from './io-worker-digest.mjs';

/**
 * @typedef {{ first: string; next: string; args: unknown[]; limit: number; offset: number }} SummaryPaging
 * @typedef {{ file: string; messagesSql: string; types: string[]; cacheKib: number;
 *   pages: import('node:worker_threads').MessagePort; secrets?: { pattern: string; flags: string; exact: string } }} ReadSetup
 */

/** Characters per packed string: under 100 KB even as two-byte text (see `io-worker.mjs`). */
const CHUNK = 40_000;

/** A column value as the store's raw path returns it: text, or null for SQL NULL. */
const text = (/** @type {unknown} */ v) => (v === null || v === undefined ? null : String(v));

/**
 * The reading side of the thread: `start` a scan, allow `credit` more pages, note a `hurry`.
 * @param {ReadSetup} setup
 * @param {import('node:worker_threads').MessagePort} port the parent port, told of each page
 */
export function createReading(setup, port) {
  const db = new Database(setup.file);
  // This connection only reads; query_only makes any write through it an error.
  db.exec('PRAGMA query_only = 1');
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec(`PRAGMA cache_size = -${Math.trunc(setup.cacheKib)}`);
  const messages = db.prepare(setup.messagesSql);
  messages.raw(true);
  const pages = setup.pages;
  const mayHoldSecret = secretCheck(setup.secrets);

  /** The system prompt seen last (see `SESSION_MESSAGES_SQL`): rows repeating it come back without it. */
  let reference = /** @type {string | null} */ (null);

  /**
   * Reads and packs the messages of the sessions `ids`, in order. A row whose content repeats the reference
   * text gets length -2 (the main thread keeps the same reference); a system row with other text becomes the
   * reference after it, on both sides. The page says which reference it starts with. With `withDigests`, the
   * texts are checked for secrets and hashed (see `io-worker.mjs`).
   * @param {unknown[]} ids
   * @param {boolean} withDigests
   */
  function readMessages(ids, withDigests) {
    const startReference = reference;
    const counts = new Int32Array(ids.length);
    /** @type {number[]} */
    const lens = [];
    /** @type {number[]} Per message: 1 when the content was checked free of secrets and hashed, then the hash. */
    const digests = [];
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
    /** @type {string[]} Known types first, at their numbers; others appended as met. */
    const types = [...setup.types];
    /** @type {Map<string, number>} */
    const typeIndex = new Map();
    const scratch = new Int32Array(2);
    for (let s = 0; s < ids.length; s++) {
      const rows = /** @type {unknown[][]} */ (messages.all(reference, reference, ids[s]));
      counts[s] = rows.length;
      for (const row of rows) {
        let t = row[0];
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
        const same = row[2] === 1;
        const raw = row[1];
        // System prompts repeat in every session: the main thread keeps their pieces, so they are not hashed.
        if (withDigests && t !== 0 && typeof raw === 'string' && !mayHoldSecret(raw)) {
          sha1PrefixInto(raw, scratch, 0);
          digests.push(1, scratch[0] ?? 0, scratch[1] ?? 0);
        } else digests.push(0, 0, 0);
        const content = same ? null : text(raw);
        lens.push(/** @type {number} */ (t), same ? -2 : content === null ? -1 : content.length);
        if (content !== null) pack(content);
        const metadata = text(row[3]);
        lens.push(metadata === null ? -1 : metadata.length);
        if (metadata !== null) pack(metadata);
        if (t === 0 && !same && content !== null) reference = content;
      }
    }
    if (parts.length > 0) chunks.push(parts.join(''));
    return {
      lens: Int32Array.from(lens),
      counts,
      types,
      chunks,
      digests: Int32Array.from(digests),
      reference: startReference,
    };
  }

  /**
   * The selection being paged: keyset pagination as `pages` in `reads.ts` does it, on this connection.
   * @type {{ first: import('libsql').Statement; next: import('libsql').Statement; args: unknown[];
   *   pageSize: number; left: number; skip: number; after: unknown[] | null; done: boolean; paged: number } | undefined}
   */
  let scan;
  let credits = 0;
  /** Whether the main thread had to wait for this thread since the last page (see `readAhead`). */
  let hurried = false;

  /** The next page's summary rows; empty once the selection is exhausted. */
  function nextSummaries() {
    if (!scan || scan.done || scan.left <= 0) return [];
    const n = Math.min(scan.pageSize, scan.left);
    const rows = /** @type {Record<string, unknown>[]} */ (
      scan.after
        ? scan.next.all(...scan.args, ...scan.after, n, scan.skip)
        : scan.first.all(...scan.args, n, scan.skip)
    );
    scan.skip = 0;
    scan.left -= rows.length;
    scan.paged += rows.length;
    if (rows.length < n) scan.done = true;
    const last = rows[rows.length - 1];
    if (last) scan.after = [last['_k'], last['session_id']];
    return rows;
  }

  /** Reads pages while the main thread allows more. */
  function readAhead() {
    while (scan && credits > 0) {
      credits--;
      try {
        const summaries = nextSummaries();
        if (summaries.length === 0) {
          pages.postMessage({ end: true, paged: scan?.paged ?? 0 });
          scan = undefined;
        } else {
          // Checking and hashing texts is work either thread can do: this one does it unless the main thread
          // said it had to wait on this one since the last page, so neither waits on the other's share.
          const { lens, counts, types, chunks, digests, reference } = readMessages(
            summaries.map((s) => s['session_id']),
            !hurried,
          );
          hurried = false;
          pages.postMessage({ summaries, lens, counts, types, digests, reference, chunks: chunks.length }, [
            lens.buffer,
            counts.buffer,
            digests.buffer,
          ]);
          for (const chunk of chunks) pages.postMessage(chunk);
        }
      } catch (error) {
        scan = undefined;
        pages.postMessage({ error: error instanceof Error ? error.message : String(error) });
      }
      port.postMessage({ page: 1 });
    }
  }

  return {
    /**
     * Starts paging a selection, `pageSize` sessions a page.
     * @param {SummaryPaging} paging
     * @param {number} pageSize
     */
    start(paging, pageSize) {
      scan = {
        first: db.prepare(paging.first),
        next: db.prepare(paging.next),
        args: paging.args,
        pageSize,
        left: paging.limit,
        skip: paging.offset,
        after: null,
        done: false,
        paged: 0,
      };
    },
    /**
     * Allows `n` more pages, and reads them.
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
