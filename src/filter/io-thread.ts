/**
 * The main thread's side of the filter's I/O thread (`io-worker.mjs`): the thread reads the selected
 * sessions a few pages ahead, and the main thread takes the pages, in order, when it is ready to use them;
 * the thread is also handed the filled output buffers, to write and hash them between pages. An answered
 * page waits in its own message port, serialized outside this thread's heap, and is only unpacked when
 * taken: a page unpacked on arrival would wait, alive, while earlier pages are worked on, and V8 would move
 * it to the old generation, where garbage stays until a full collection (tens of MB more at peak).
 *
 * Both ports are read synchronously (`receiveMessageOnPort`) before anything waits: the export's loop awaits
 * only promises already settled, so it does not return to the event loop between sessions, and answers seen
 * by a 'message' listener alone would make every page and every returned buffer look late (and the I/O
 * thread would be told to hurry, skipping the texts' digests, each time).
 * @module
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { SynthError } from '../errors.ts';
import { SESSION_MESSAGE_TYPES, type SummaryScan } from '../tracing/sqlite/raw-reads.ts';
import { PackedSessions, type PageHeader } from './packed-sessions.ts';
import { SECRET_PATTERN_SOURCES } from './scrub.ts';
import { outputWriteError } from './write-error.ts';

/** SQLite's page cache for the thread's connection, in KiB: the messages index's inner pages stay cached. */
const CACHE_KIB = 2048;
/**
 * Output buffers handed over and not yet written: beyond this, the main thread waits (see `ready`). The
 * thread writes between reading pages, so the queue must cover a page's reading (2 MB of 128 KiB buffers).
 */
const MAX_WRITES_IN_FLIGHT = 16;
/** How long `close` waits for the thread's writes in flight (a stuck disk must not hang the caller). */
const SETTLE_TIMEOUT_MS = 10_000;

/** Reads a selection's sessions ahead on the I/O thread. */
export interface SessionReader {
  /**
   * Starts reading the selection `scan`, `pageSize` sessions a page, at most `depth` pages ahead of
   * {@link take}. Once per thread.
   */
  scan(scan: SummaryScan, pageSize: number, depth: number): void;
  /** The next page, in selection order; null after the last. */
  take(): Promise<PackedSessions | null>;
  /** Once {@link take} has answered null: how many sessions the selection had; before, null. */
  paged(): number | null;
}

/** Writes an output file's bytes on the I/O thread (see `createAtomicFile`). */
export interface OutputOffload {
  /**
   * Hands over the first `length` bytes of `buffer` (its memory moves to the thread: do not touch it again)
   * to be appended to the open file `fd`; returns a buffer of the same size to fill next.
   */
  write(fd: number, buffer: Buffer<ArrayBuffer>, length: number): Buffer<ArrayBuffer>;
  /** Undefined, or a promise to await before writing more while too many buffers are in flight. */
  ready(): Promise<void> | undefined;
  /** Waits for every write; the bytes written and their sha256. Throws if a write failed. */
  finish(): Promise<{ bytes: number; sha256: string }>;
  /**
   * Names the file written, for the error of a failed write; before the first write. `direct`: a second
   * descriptor of it, opened with `O_DIRECT`, for the thread to write through (see `io-worker-write.mjs`).
   */
  target(path: string, direct?: number): void;
}

/** The I/O thread over one trace DB file. */
export interface IoThread {
  reader: SessionReader;
  output: OutputOffload;
  /** Stops the thread. Safe to call twice. */
  close(): Promise<void>;
}

type Answer =
  | { page: 1 }
  | { spare: ArrayBuffer }
  | { writeError: string; code?: string }
  | { finished: { bytes: number; sha256: string } }
  | { settled: true };

/** Starts the I/O thread on the SQLite file `file` (which must exist and hold a trace DB). */
export function startIoThread(file: string): IoThread {
  const { port1: pages, port2: pagesRemote } = new MessageChannel();
  const { port1: answers, port2: answersRemote } = new MessageChannel();
  // One thread for both: a second (a writer apart) cost tens of MB of peak RSS on the 100k bench, for as
  // much speed as a queue of writes deep enough to wait out the reading of a page.
  const thread = new Worker(new URL('./io-worker.mjs', import.meta.url), {
    workerData: {
      file,
      types: [...SESSION_MESSAGE_TYPES],
      cacheKib: CACHE_KIB,
      pages: pagesRemote,
      answers: answersRemote,
      secrets: SECRET_PATTERN_SOURCES,
    },
    transferList: [pagesRemote, answersRemote],
    // The worker is plain JavaScript: it needs none of this process's loaders (tsx would cost a thread).
    execArgv: [],
    // It keeps little alive (one page's rows): a small young generation keeps its memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  let inFlight = 0;
  const spares: Buffer<ArrayBuffer>[] = [];
  let finished: { bytes: number; sha256: string } | undefined;
  /** The thread answered that no write of its own is in flight any more (see `close`). */
  let settled = false;
  let failure: SynthError | undefined;
  let outputPath = 'the output';
  // Whoever waits for an answer (a page, a spare buffer, the digest, or a failure) checks again on each one.
  let waiting: (() => void)[] = [];
  const wakeUp = () => {
    const all = waiting;
    waiting = [];
    for (const w of all) w();
  };
  const sleep = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
    });
  const fail = (error: SynthError) => {
    failure ??= error;
    wakeUp();
  };
  const onAnswer = (m: Answer) => {
    if ('spare' in m) {
      inFlight--;
      if (spares.length < MAX_WRITES_IN_FLIGHT) spares.push(Buffer.from(m.spare));
    } else if ('writeError' in m)
      failure ??= outputWriteError(outputPath, Object.assign(new Error(m.writeError), { code: m.code }));
    else if ('finished' in m) finished = m.finished;
    else if ('settled' in m) settled = true;
    // `{ page: 1 }` only wakes a waiting take: the page itself is in `pages`.
    wakeUp();
  };
  // While this thread waits, answers wake it; while it works, it drains them itself.
  answers.on('message', onAnswer);
  const drain = () => {
    for (let m = receiveMessageOnPort(answers); m; m = receiveMessageOnPort(answers))
      onAnswer(m.message as Answer);
  };
  thread.on('error', (error) =>
    fail(
      new SynthError(`the filter's I/O thread failed: ${error.message}`, {
        hint: 'check that libsql is installed and the trace DB is readable',
        cause: error,
      }),
    ),
  );
  let exited = false;
  thread.on('exit', () => {
    exited = true;
    fail(new SynthError("the filter's I/O thread stopped"));
  });
  let closed = false;
  // This thread waits on the I/O thread: it should leave texts for this thread to check and hash.
  const hurry = () => thread.postMessage({ hurry: true });
  let pagedAll: number | null = null;
  const reader: SessionReader = {
    paged: () => pagedAll,
    scan(scan, pageSize, depth) {
      thread.postMessage({ scan, pageSize, credits: depth });
    },
    async take() {
      const next = () => receiveMessageOnPort(pages)?.message as PageHeader | undefined;
      let header = next();
      if (!header) hurry();
      while (!header) {
        drain();
        if (failure) throw failure;
        // Looked for again after the drain: it may have taken the page's wake-up, and no other would come.
        header = next();
        if (header) break;
        await sleep();
        header = next();
      }
      if (header.error !== undefined)
        throw new SynthError(`reading sessions from ${file} failed: ${header.error}`, {
          hint: 'check that the trace DB is readable',
        });
      if (header.end) {
        pagedAll = header.paged ?? null;
        return null;
      }
      // One more page may be read ahead now that this one is taken.
      thread.postMessage({ credits: 1 });
      return new PackedSessions(header);
    },
  };
  const output: OutputOffload = {
    write(fd, buffer, length) {
      drain();
      if (failure) throw failure;
      const size = buffer.length;
      const data = buffer.buffer;
      thread.postMessage({ write: fd, data, length }, [data]);
      inFlight++;
      let next = spares.pop();
      while (next && next.length !== size) next = spares.pop();
      return next ?? Buffer.allocUnsafeSlow(size);
    },
    ready() {
      drain();
      if (inFlight < MAX_WRITES_IN_FLIGHT && !failure) return undefined;
      hurry();
      return (async () => {
        while (inFlight >= MAX_WRITES_IN_FLIGHT) {
          if (failure) throw failure;
          await sleep();
        }
        if (failure) throw failure;
      })();
    },
    async finish() {
      thread.postMessage({ finish: true });
      while (!finished) {
        if (failure) throw failure;
        await sleep();
      }
      if (failure) throw failure;
      return finished;
    },
    target(path, direct) {
      outputPath = path;
      if (direct !== undefined) thread.postMessage({ direct });
    },
  };
  return {
    reader,
    output,
    async close() {
      if (closed) return;
      closed = true;
      failure ??= new SynthError("the filter's I/O thread is closed");
      // Writes on libuv's pool outlive a terminated thread: once the output's descriptors are closed and their
      // numbers reused, one would land in another file. The thread first says none is in flight.
      if (!exited) {
        thread.postMessage({ settle: true });
        const timer = setTimeout(() => {
          settled = true;
          wakeUp();
        }, SETTLE_TIMEOUT_MS);
        while (!settled && !exited) await sleep();
        clearTimeout(timer);
      }
      pages.close();
      answers.close();
      await thread.terminate();
    },
  };
}
