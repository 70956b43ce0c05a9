/**
 * A page of sessions as the I/O thread hands it over (see `io-worker.mjs`): summary rows, and each session's
 * messages as the bytes SQLite packed them into, moved to this thread without a copy. A text is decoded from
 * those bytes only when its session is taken.
 * @module
 */
import type { SqlRow } from '../tracing/sqlite/executor.ts';
import { decodeSummary } from '../tracing/sqlite/row-decoding.ts';
import type { RawTraceMessage } from '../tracing/store.ts';
import type { StoredMessage } from './normalize-message.ts';
import { decodeInPlace, type FilterSession } from './read-sessions.ts';

/** What the worker answers for one page (see the worker's header). */
export interface PageHeader {
  error?: string;
  end?: true;
  /** With `end`: how many sessions the selection had (all were paged). */
  paged?: number;
  summaries: SqlRow[];
  /** Per message: its type's index in `types`, its content's length in bytes, its metadata's (see below). */
  lens: Int32Array;
  digests: Int32Array;
  /** The text a content length of -2 stands for, when the page starts (see `readMessages` in the worker). */
  reference: string | null;
  /** Texts a content length of -3 stands for, in order. */
  extras: string[];
  counts: Int32Array;
  /** Per session, where its texts start in its bytes. */
  starts: Int32Array;
  /** Per session, its packed messages. */
  bodies: Uint8Array[];
  /** How the bytes encode text: the DB's encoding. */
  decoder: 'utf8' | 'utf16le';
  types: string[];
}

/**
 * One answered page, unpacked a session at a time (in order), so only the session being worked on exists
 * as objects: the rest of the page stays in its rows and bytes.
 */
export class PackedSessions {
  readonly #header: PageHeader;
  #session = 0;
  #k = 0;
  #extra = 0;
  #reference: string | null;

  constructor(header: PageHeader) {
    this.#header = header;
    this.#reference = header.reference;
  }

  /** How many sessions the page has. */
  get size(): number {
    return this.#header.counts.length;
  }

  /** The next session, decoded as the store decodes a summary, with its messages as stored. */
  next(): FilterSession {
    const { lens, digests, counts, types, summaries, bodies, starts, extras, decoder } = this.#header;
    const i = this.#session++;
    const summary = decodeSummary(summaries[i]!);
    // Let go of the row and the bytes once decoded: they would otherwise live as long as the page's last session.
    (summaries as (SqlRow | undefined)[])[i] = undefined;
    const body = bodies[i]!;
    (bodies as (Uint8Array | undefined)[])[i] = undefined;
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    let at = starts[i] ?? 0;
    const text = (length: number): string => {
      const value = bytes.toString(decoder, at, at + length);
      at += length;
      return value;
    };
    const n = counts[i] ?? 0;
    const list: (RawTraceMessage & Pick<StoredMessage, 'digest'>)[] = new Array(n);
    let k = this.#k;
    for (let j = 0; j < n; j++) {
      const digest = digests[k] === 1 ? { hi: digests[k + 1]! >>> 0, lo: digests[k + 2]! >>> 0 } : undefined;
      const t = lens[k++]!;
      const length = lens[k++]!;
      const metadataLength = lens[k++]!;
      const content =
        length === -2
          ? this.#reference
          : length === -3
            ? (extras[this.#extra++] ?? null)
            : length < 0
              ? null
              : text(length);
      const metadata = metadataLength < 0 ? null : text(metadataLength);
      // A system prompt with new text is the reference from now on, as on the reading thread.
      if (t === 0 && length !== -2 && content !== null) this.#reference = content;
      list[j] = { message_type: types[t]!, content, metadata, digest };
    }
    this.#k = k;
    return Object.assign(summary, { messages: decodeInPlace(list) });
  }
}
