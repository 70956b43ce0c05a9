/**
 * A page of sessions as the I/O thread hands it over (see `io-worker.mjs`): summary rows, message lengths
 * and a few packed strings. Every content and metadata value is a slice of one of those strings, so
 * unpacking copies nothing (see `ownCopy` in `read-sessions.ts` for what outlives a page).
 * @module
 */
import type { SqlRow } from '../tracing/sqlite/executor.ts';
import { decodeSummary } from '../tracing/sqlite/row-decoding.ts';
import type { RawTraceMessage } from '../tracing/store.ts';
import type { StoredMessage } from './normalize-message.ts';
import { decodeInPlace, type FilterSession } from './read-sessions.ts';

/** What the worker answers first for one page (see the worker's header); `chunks` strings follow. */
export interface PageHeader {
  error?: string;
  end?: true;
  /** With `end`: how many sessions the selection had (all were paged). */
  paged?: number;
  summaries: SqlRow[];
  lens: Int32Array;
  digests: Int32Array;
  /** The text a content length of -2 stands for, when the page starts (see `readMessages` in the worker). */
  reference: string | null;
  counts: Int32Array;
  types: string[];
  chunks: number;
}

/**
 * Reads packed values back, in order, from a page's strings (a value never straddles two). The strings are
 * pulled one at a time, when the first value in one is needed: only the string in use (and the earlier ones
 * that values still in use are slices of) is in the heap, the rest waits serialized in the port.
 */
class ChunkCursor {
  readonly #pull: () => string;
  #left: number;
  #text = '';
  #at = 0;

  constructor(count: number, pull: () => string) {
    this.#left = count;
    this.#pull = pull;
  }

  /** The next value of `length` characters; null for -1 (SQL NULL). */
  next(length: number): string | null {
    if (length < 0) return null;
    // A value that does not fit in what is left of the string in use starts the next one (empty values fit
    // anywhere: their place does not matter).
    if (this.#at + length > this.#text.length) {
      if (this.#left <= 0) throw new RangeError('a packed page has fewer strings than its lengths say');
      this.#text = this.#pull();
      this.#left--;
      this.#at = 0;
    }
    const value = this.#text.slice(this.#at, this.#at + length);
    this.#at += length;
    return value;
  }

  /** Pulls (and drops) the strings not used yet, so the port is at the next page. */
  finish(): void {
    for (; this.#left > 0; this.#left--) this.#pull();
  }
}

/**
 * One answered page, unpacked a session at a time (in order), so only the session being worked on exists
 * as objects: the rest of the page stays in its rows and strings.
 */
export class PackedSessions {
  readonly #header: PageHeader;
  readonly #cursor: ChunkCursor;
  #session = 0;
  #k = 0;
  #reference: string | null;

  /** `pull` takes the page's next string from the port (there are `header.chunks`). */
  constructor(header: PageHeader, pull: () => string) {
    this.#header = header;
    this.#cursor = new ChunkCursor(header.chunks, pull);
    this.#reference = header.reference;
  }

  /** Drops what was not read, so the next page can be taken. */
  finish(): void {
    this.#cursor.finish();
  }

  /** How many sessions the page has. */
  get size(): number {
    return this.#header.counts.length;
  }

  /** The next session, decoded as the store decodes a summary, with its messages as stored. */
  next(): FilterSession {
    const { lens, digests, counts, types, summaries } = this.#header;
    const i = this.#session++;
    const summary = decodeSummary(summaries[i]!);
    // Let go of the row once decoded: the page's rows would otherwise live as long as its last session.
    (summaries as (SqlRow | undefined)[])[i] = undefined;
    const n = counts[i] ?? 0;
    const list: (RawTraceMessage & Pick<StoredMessage, 'digest'>)[] = new Array(n);
    let k = this.#k;
    for (let j = 0; j < n; j++) {
      const digest = digests[k] === 1 ? { hi: digests[k + 1]! >>> 0, lo: digests[k + 2]! >>> 0 } : undefined;
      const t = lens[k++]!;
      const length = lens[k++]!;
      const content = length === -2 ? this.#reference : this.#cursor.next(length);
      const metadata = this.#cursor.next(lens[k++]!);
      // A system prompt with new text is the reference from now on, as on the reading thread.
      if (t === 0 && length !== -2 && content !== null) this.#reference = content;
      list[j] = { message_type: types[t]!, content, metadata, digest };
    }
    this.#k = k;
    return Object.assign(summary, { messages: decodeInPlace(list) });
  }
}
