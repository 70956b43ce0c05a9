// @ts-check
/**
 * The I/O thread of `synth-ai filter`: it reads the selected sessions ahead of the main thread and writes
 * (and hashes) the output behind it, so SQLite's reading and the file's writing overlap the main thread's
 * work of building, checking and serializing examples. Plain JavaScript on purpose: a worker cannot run our
 * TypeScript without registering tsx again, and that starts one more loader thread per worker (tens of MB
 * and hundreds of ms), while this file needs only libsql and node:crypto.
 *
 * Reading (see `io-thread.ts`): `{ scan, pageSize, credits }` starts paging a selection (`scan` is a
 * `SummaryScan` of `raw-reads.ts`), at most `credits` pages ahead; `{ credits }` says that many more were
 * taken. Each page goes, in order, to the `pages` port as `{ summaries, bodies, starts, lens, counts, types,
 * digests, reference, extras, decoder }` (or `{ end: true, paged }` after the last page, `paged` being how
 * many sessions the selection had, or `{ error }`), and `{ page: 1 }` on the `answers` port says it is there.
 * `summaries` are the page's summary rows (objects by column name). `bodies[i]` holds summary `i`'s messages
 * as SQLite packed them (see `summaryScan`), moved, not copied: their texts start at `starts[i]`, one after
 * the other, encoded as `decoder` says, and are decoded on the main thread only when it takes the session.
 * `counts[i]` is how many messages summary `i` has; `lens` holds, per message, an index into `types` (each
 * distinct message type once), then the content's length in bytes (-1 NULL, -2 the reference text, -3 the
 * next of `extras`), then the metadata's (-1 none). `digests` holds, per message, 1 when the content (not a
 * system prompt's) was checked free of secrets and hashed, then the sha1 prefix's halves, so the main thread
 * need not scrub and hash a stored text it writes as is.
 *
 * Writing: `{ write: fd, data, length }` appends the first `length` bytes of the transferred `data` to the
 * open file `fd` and to the sha256, then gives `{ spare: data }` back for reuse; `{ finish: true }` answers
 * `{ finished: { bytes, sha256 } }`. A failed write answers `{ writeError, code }` (the errno code) and every
 * later write is skipped. `{ direct: fd }`, before the first write, gives a descriptor of the same file
 * opened with `O_DIRECT` to write through instead. `{ settle: true }` (before the thread is stopped) skips
 * every later write and answers `{ settled: true }` once no write or flush is in flight. Every answer goes to
 * the `answers` port; requests come on the parent port.
 * `{ hurry: true }` says the main thread had to wait on this one: the next page comes without digests, as
 * does any page read while fewer than two read pages wait to be taken (see `io-worker-read.mjs`).
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { createReading } from './io-worker-read.mjs';
import { createWriting } from './io-worker-write.mjs';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
/** A port of its own, which the main thread can read without waiting (see `io-thread.ts`). */
const answers = /** @type {import('node:worker_threads').MessagePort} */ (workerData.answers);
/**
 * The thread gets the DB (`file`, the names of the numbered message `types`, `cacheKib`), the
 * `pages` and `answers` ports and the secret patterns (`secrets`, `SECRET_PATTERN_SOURCES` of `scrub.ts`);
 * without `file` it only writes.
 * @type {Partial<import('./io-worker-read.mjs').ReadSetup>}
 */
const setup = workerData;
// Between pages the reading loop takes the requests that came meanwhile itself: as events they would wait
// for the loop to end, and the pages taken meanwhile are what it decides each page's digests by.
const pump = () => {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) handle(m.message);
};
const reading = setup.file
  ? createReading(/** @type {import('./io-worker-read.mjs').ReadSetup} */ (setup), answers, pump)
  : null;
const writing = createWriting(answers);

/**
 * @typedef {{ scan?: import('./io-worker-read.mjs').SummaryScan; pageSize?: number; credits?: number;
 *   write?: number; data?: ArrayBuffer; length?: number; direct?: number; finish?: true; settle?: true; hurry?: true }} Request
 */
/** @param {Request} m */
function handle(m) {
  if (m.write !== undefined && m.data) {
    writing.write(m.write, m.data, m.length ?? 0);
    answers.postMessage({ spare: m.data }, [m.data]);
  } else if (m.direct !== undefined) {
    writing.direct(m.direct);
  } else if (m.hurry) {
    reading?.hurry();
  } else if (m.finish) {
    void writing.finish().then((finished) => answers.postMessage({ finished }));
  } else if (m.settle) {
    void writing.settle().then(() => answers.postMessage({ settled: true }));
  } else {
    if (m.scan) reading?.start(m.scan, m.pageSize ?? 32, m.credits ?? 0);
    else reading?.credit(m.credits ?? 0);
  }
}
port.on('message', handle);
