// @ts-check
/**
 * The I/O thread of `synth-ai filter`: it reads the selected sessions ahead of the main thread and writes
 * (and hashes) the output behind it, so SQLite's reading and the file's writing overlap the main thread's
 * work of building, checking and serializing examples. Plain JavaScript on purpose: a worker cannot run our
 * TypeScript without registering tsx again, and that starts one more loader thread per worker (tens of MB
 * and hundreds of ms), while this file needs only libsql and node:crypto.
 *
 * Reading (see `io-thread.ts`): `{ scan, pageSize, credits }` starts paging a selection (`scan` is a
 * `SummaryPaging` of `raw-reads.ts`); `{ credits }` allows that many more pages. Each page goes, in order, to
 * the `pages` port as `{ summaries, lens, counts, types, digests, reference, chunks }` followed by `chunks`
 * strings (or `{ end: true, paged }` after the last page, `paged` being how many sessions the selection had,
 * or `{ error }`), and `{ page: 1 }` on the parent port says it is there.
 * `summaries` are the page's summary rows (objects by column name); their messages' content and metadata
 * values travel packed, one after the other, in a few strings of at most {@link CHUNK} characters (a value
 * never straddles two), with their lengths in `lens` (-1 for SQL NULL): a few strings are copied between
 * threads, where thousands of small ones cost more to copy than SQLite took to read them. Each chunk is its
 * own message because V8 puts everything a message holds straight into the old generation once the message
 * passes 100 KB, and the main thread's old generation is only swept by full collections. `counts[i]` is how
 * many messages summary `i` has; `lens` holds, per message, an index into `types` (each distinct message
 * type once), then the content's length, then the metadata's. `digests` holds, per message, 1 when the
 * content (not a system prompt's) was checked free of secrets and hashed, then the sha1 prefix's halves, so
 * the main thread need not scrub and hash a stored text it writes as is.
 *
 * Writing: `{ write: fd, data, length }` appends the first `length` bytes of the transferred `data` to the
 * open file `fd` and to the sha256, then gives `{ spare: data }` back for reuse; `{ finish: true }` answers
 * `{ finished: { bytes, sha256 } }`. A failed write answers `{ writeError }` and every later write is skipped.
 * `{ hurry: true }` says the main thread had to wait on this one: the next page comes without digests.
 */
import { createHash, hash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';

/**
 * The thread gets the DB (`file`, `messagesSql` with the names of its numbered `types`, `cacheKib`), the
 * `pages` port and the secret patterns (`secrets`, `SECRET_PATTERN_SOURCES` of `scrub.ts`); without `file`
 * it only writes.
 * @type {{ file?: string; messagesSql?: string; types?: string[]; cacheKib?: number;
 *   pages?: import('node:worker_threads').MessagePort; secrets?: { pattern: string; flags: string; exact: string } }}
 */
const setup = workerData;
const secretPattern = setup.secrets ? new RegExp(setup.secrets.pattern, setup.secrets.flags) : null;
const secretExact = setup.secrets ? new RegExp(setup.secrets.exact) : null;

/**
 * Whether `redactSecretLike` (`scrub.ts`) would change `text`: some match has a bearer or assignment group,
 * or is a provider key matched whole with its exact case. True when the patterns are missing.
 * @param {string} text
 */
function mayHoldSecret(text) {
  if (!secretPattern || !secretExact) return true;
  secretPattern.lastIndex = 0;
  for (let m = secretPattern.exec(text); m; m = secretPattern.exec(text)) {
    if (m[1] !== undefined || m[2] !== undefined || secretExact.test(m[0])) return true;
  }
  return false;
}

/**
 * The first 8 bytes of `text`'s sha1, as `sha1Prefix` in `message-pieces.ts` takes them.
 * @param {string} text
 * @param {Int32Array} out
 * @param {number} at
 */
function sha1PrefixInto(text, out, at) {
  const d = hash('sha1', text, 'binary');
  out[at] = d.charCodeAt(0) | (d.charCodeAt(1) << 8) | (d.charCodeAt(2) << 16) | (d.charCodeAt(3) << 24);
  out[at + 1] = d.charCodeAt(4) | (d.charCodeAt(5) << 8) | (d.charCodeAt(6) << 16) | (d.charCodeAt(7) << 24);
}
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** The reading thread's connection and statement, opened when the thread starts. */
const reading = setup.file
  ? openForReading(setup.file, setup.messagesSql ?? '', setup.cacheKib ?? 2000)
  : null;

/**
 * @param {string} file
 * @param {string} messagesSql
 * @param {number} cacheKib
 */
function openForReading(file, messagesSql, cacheKib) {
  const db = new Database(file);
  // This connection only reads; query_only makes any write through it an error.
  db.exec('PRAGMA query_only = 1');
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec(`PRAGMA cache_size = -${Math.trunc(cacheKib)}`);
  const messages = db.prepare(messagesSql);
  messages.raw(true);
  return { db, messages, pages: /** @type {import('node:worker_threads').MessagePort} */ (setup.pages) };
}

/** Characters per packed string: under 100 KB even as two-byte text (see the header). */
const CHUNK = 40_000;

/** A column value as the store's raw path returns it: text, or null for SQL NULL. */
const text = (/** @type {unknown} */ v) => (v === null || v === undefined ? null : String(v));

/** The system prompt seen last (see `SESSION_MESSAGES_SQL`): rows repeating it come back without it. */
let reference = /** @type {string | null} */ (null);

/**
 * Reads and packs the messages of the sessions `ids`, in order. A row whose content repeats the reference
 * text gets length -2 (the main thread keeps the same reference); a system row with other text becomes the
 * reference after it, on both sides. The page says which reference it starts with. With `withDigests`, the
 * texts are checked for secrets and hashed (see the header).
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
  const types = [...(setup.types ?? [])];
  /** @type {Map<string, number>} */
  const typeIndex = new Map();
  const scratch = new Int32Array(2);
  for (let s = 0; s < ids.length; s++) {
    const rows = /** @type {unknown[][]} */ (reading?.messages.all(reference, reference, ids[s]) ?? []);
    counts[s] = rows.length;
    for (const row of rows) {
      let t = row[0];
      if (typeof t !== 'number') {
        const name = String(t);
        t = typeIndex.get(name);
        if (t === undefined) {
          t = types.length;
          types.push(name);
          typeIndex.set(name, t);
        }
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
  if (!reading) return;
  const pages = reading.pages;
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

/** The output being written: its hash, its byte count, and the first failure (later writes are skipped). */
const output = { hash: createHash('sha256'), bytes: 0, failed: false };

/**
 * Appends `length` bytes of `data` to `fd`, hashing them.
 * @param {number} fd
 * @param {ArrayBuffer} data
 * @param {number} length
 */
function write(fd, data, length) {
  if (output.failed) return;
  const bytes = new Uint8Array(data, 0, length);
  try {
    output.hash.update(bytes);
    let offset = 0;
    while (offset < length) offset += writeSync(fd, bytes, offset, length - offset);
    output.bytes += length;
  } catch (error) {
    output.failed = true;
    port.postMessage({ writeError: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * @typedef {{ first: string; next: string; args: unknown[]; limit: number; offset: number }} SummaryPaging
 * @typedef {{ scan?: SummaryPaging; pageSize?: number; credits?: number; write?: number; data?: ArrayBuffer;
 *   length?: number; finish?: true; hurry?: true }} Request
 */
port.on('message', (/** @type {Request} */ m) => {
  if (m.write !== undefined && m.data) {
    write(m.write, m.data, m.length ?? 0);
    port.postMessage({ spare: m.data }, [m.data]);
  } else if (m.hurry) {
    hurried = true;
  } else if (m.finish) {
    port.postMessage({ finished: { bytes: output.bytes, sha256: output.hash.digest('hex') } });
  } else {
    if (m.scan && reading) {
      scan = {
        first: reading.db.prepare(m.scan.first),
        next: reading.db.prepare(m.scan.next),
        args: m.scan.args,
        pageSize: m.pageSize ?? 32,
        left: m.scan.limit,
        skip: m.scan.offset,
        after: null,
        done: false,
        paged: 0,
      };
    }
    credits += m.credits ?? 0;
    readAhead();
  }
});
