/**
 * The main thread's side of the message reader thread (`message-reader-worker.mjs`): asks for the stored
 * messages of pages of sessions ahead of time and takes the answers, in order, when it is ready to use them.
 * An answer waits in its own message port, serialized outside this thread's heap, and is only unpacked when
 * taken: a page unpacked on arrival would wait, alive, while earlier pages are worked on, and V8 would move
 * it to the old generation, where garbage stays until a full collection (tens of MB more at peak).
 * Every content and metadata value is a slice of one of the page's strings, so unpacking copies nothing
 * (see `ownCopy` in `read-sessions.ts` for what outlives a page).
 * @module
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { SynthError } from '../errors.ts';
import { RAW_MESSAGES_SQL } from '../tracing/sqlite/raw-reads.ts';
import type { RawTraceMessage } from '../tracing/store.ts';

/** SQLite's page cache for the reader's connection, in KiB: the messages index's inner pages stay cached. */
const CACHE_KIB = 8192;

/** What the worker answers first for one page (see the worker's header); `chunks` strings follow. */
interface PageHeader {
  error?: string;
  lens: Int32Array;
  counts: Int32Array;
  types: string[];
  chunks: number;
}

/** A reader thread over one trace DB file. */
export interface MessageReader {
  /** Asks for the messages of the sessions `ids`; answers come back in the order asked. */
  request(ids: readonly string[]): void;
  /** The next answer: the messages of each session of its request, in the request's order, as stored. */
  take(): Promise<PackedMessages>;
  /** Stops the thread. Safe to call twice. */
  close(): Promise<void>;
}

/** Reads packed values back, in order, from a page's strings (a value never straddles two). */
class ChunkCursor {
  readonly #chunks: string[];
  #index = 0;
  #text: string;
  #at = 0;

  constructor(chunks: string[]) {
    this.#chunks = chunks;
    this.#text = chunks[0] ?? '';
  }

  /** The next value of `length` characters; null for -1 (SQL NULL). */
  next(length: number): string | null {
    if (length < 0) return null;
    if (this.#at + length > this.#text.length) {
      this.#text = this.#chunks[++this.#index] ?? '';
      this.#at = 0;
    }
    const value = this.#text.slice(this.#at, this.#at + length);
    this.#at += length;
    return value;
  }
}

/**
 * One answered page, unpacked a session at a time (in request order), so only the session being worked on
 * exists as objects: the rest of the page stays in its few strings.
 */
export class PackedMessages {
  readonly #header: PageHeader;
  readonly #cursor: ChunkCursor;
  #session = 0;
  #k = 0;

  constructor(header: PageHeader, chunks: string[]) {
    this.#header = header;
    this.#cursor = new ChunkCursor(chunks);
  }

  /** How many sessions the page has. */
  get size(): number {
    return this.#header.counts.length;
  }

  /** The next session's messages, as stored. */
  next(): RawTraceMessage[] {
    const { lens, counts, types } = this.#header;
    const n = counts[this.#session++] ?? 0;
    const list: RawTraceMessage[] = new Array(n);
    let k = this.#k;
    for (let j = 0; j < n; j++) {
      const type = types[lens[k++]!]!;
      const content = this.#cursor.next(lens[k++]!);
      const metadata = this.#cursor.next(lens[k++]!);
      list[j] = { message_type: type, content, metadata };
    }
    this.#k = k;
    return list;
  }
}

/** Starts a reader thread on the SQLite file `file` (which must exist and hold a trace DB). */
export function startMessageReader(file: string): MessageReader {
  const { port1: pages, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./message-reader-worker.mjs', import.meta.url), {
    workerData: { file, sql: RAW_MESSAGES_SQL, cacheKib: CACHE_KIB, pages: port2 },
    transferList: [port2],
    // The worker is plain JavaScript: it needs none of this process's loaders (tsx would cost a thread).
    execArgv: [],
    // It keeps little alive (one page's rows): a small young generation keeps its memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  let ready = 0;
  let wake: (() => void) | undefined;
  let failure: SynthError | undefined;
  const fail = (error: SynthError) => {
    failure ??= error;
    wake?.();
  };
  worker.on('message', () => {
    ready++;
    wake?.();
  });
  worker.on('error', (error) =>
    fail(
      new SynthError(`the message reader thread failed: ${error.message}`, {
        hint: 'check that libsql is installed and the trace DB is readable',
        cause: error,
      }),
    ),
  );
  worker.on('exit', () => fail(new SynthError('the message reader thread stopped')));
  let closed = false;
  return {
    request(ids) {
      worker.postMessage({ ids });
    },
    async take() {
      while (ready === 0) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      ready--;
      const header = receiveMessageOnPort(pages)?.message as PageHeader | undefined;
      if (!header) throw new SynthError('the message reader thread lost a page');
      if (header.error !== undefined)
        throw new SynthError(`reading messages from ${file} failed: ${header.error}`, {
          hint: 'check that the trace DB is readable',
        });
      const chunks: string[] = [];
      for (let i = 0; i < header.chunks; i++) chunks.push(receiveMessageOnPort(pages)?.message as string);
      return new PackedMessages(header, chunks);
    },
    async close() {
      if (closed) return;
      closed = true;
      failure ??= new SynthError('the message reader thread is closed');
      pages.close();
      await worker.terminate();
    },
  };
}
