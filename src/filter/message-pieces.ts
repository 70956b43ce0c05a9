/**
 * Serializes each message once per session. In turn mode the same system prompt (and, for chat agents, the
 * same history) appears in many examples; serializing, scrubbing and hashing it once keeps the export's cost
 * proportional to the trace, not to the (larger) dataset.
 * @module
 */
import { hash } from 'node:crypto';
import type { ChatMessage } from '../tracing/types.ts';
import { ownCopy } from './read-sessions.ts';
import { redactSecretLike } from './scrub.ts';

/**
 * A message's stored text that already is its JSON: the text alone, or (checked on the I/O thread) the text
 * known to hold no secret with the {@link sha1Prefix} of it, so it is neither scrubbed nor hashed again.
 */
export type KnownJson = string | { text: string; hi: number; lo: number };

/** One message as it will appear in a line: its scrubbed JSON and a 64-bit fingerprint of that JSON. */
export interface MessagePiece {
  json: string;
  /** `json` in UTF-8, for pieces written in many lines (the shared system prompts). */
  bytes?: Uint8Array;
  hi: number;
  lo: number;
  /** Secrets redacted in this message. */
  secrets: number;
}

const MAX_SHARED = 256;

/** Pieces keyed by message object, for one session at a time. */
export class MessagePieces {
  #cache = new Map<object, MessagePiece>();
  #known: Map<object, KnownJson> | undefined;
  /**
   * System prompts by text, kept across sessions: every turn of every rollout of a task app re-sends the same
   * prompt, and it is usually the largest part of a line. Bounded; cleared when full.
   */
  #systems = new Map<string, MessagePiece>();
  /** Secrets redacted in pieces made so far. */
  scrubbed = 0;

  /**
   * Forgets the previous session's messages. `known` gives the JSON of messages whose stored text already is
   * it (see `read-sessions.ts`), so they are not serialized again.
   */
  reset(known?: Map<object, KnownJson>): void {
    // A new map, not clear(): V8 links a cleared map's old table to its new one, and an old table that has
    // reached the old generation then keeps every later session's pieces through young collections.
    this.#cache = new Map();
    this.#known = known;
  }

  /** The piece for a message (or the tools array), made on first use. */
  piece(message: ChatMessage | object): MessagePiece {
    let piece = this.#cache.get(message);
    if (piece) return piece;
    const m = message as ChatMessage;
    const shared =
      m.role === 'system' && typeof m.content === 'string' && m.name === undefined ? m.content : undefined;
    if (shared !== undefined) {
      piece = this.#systems.get(shared);
      if (piece) {
        // A repeat adds no new secrets, but it is one more place a secret would have been: count it again.
        this.scrubbed += piece.secrets;
        this.#cache.set(message, piece);
        return piece;
      }
    }
    const known = this.#known?.get(message);
    if (typeof known === 'object') {
      piece = { json: known.text, hi: known.hi, lo: known.lo, secrets: 0 };
    } else {
      const scrubbed = redactSecretLike(known ?? JSON.stringify(message));
      this.scrubbed += scrubbed.count;
      const [hi, lo] = sha1Prefix(scrubbed.text);
      piece = { json: scrubbed.text, hi, lo, secrets: scrubbed.count };
    }
    // A shared piece outlives the page its text may be a slice of (see `ownCopy`): it keeps a copy, and its
    // bytes, encoded once for the many lines it goes into.
    if (shared !== undefined) {
      piece.json = ownCopy(piece.json);
      piece.bytes = Buffer.from(piece.json, 'utf8');
    }
    this.#cache.set(message, piece);
    if (shared !== undefined) {
      if (this.#systems.size >= MAX_SHARED) this.#systems.clear();
      this.#systems.set(shared, piece);
    }
    return piece;
  }
}

/**
 * The first 8 bytes of a text's sha1 as two little-endian unsigned 32-bit numbers. The digest comes back as a
 * 'binary' (latin1) string, one char per byte: no Buffer, so no ArrayBuffer per call, which made hashing 2-3x slower.
 */
export function sha1Prefix(text: string): [number, number] {
  const d = hash('sha1', text, 'binary');
  const hi =
    (d.charCodeAt(0) | (d.charCodeAt(1) << 8) | (d.charCodeAt(2) << 16) | (d.charCodeAt(3) << 24)) >>> 0;
  const lo =
    (d.charCodeAt(4) | (d.charCodeAt(5) << 8) | (d.charCodeAt(6) << 16) | (d.charCodeAt(7) << 24)) >>> 0;
  return [hi, lo];
}

function mix(h: number, k: number): number {
  let x = Math.imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A 64-bit fingerprint of an ordered list of pieces (plus the tools' piece): two murmur-style lanes folded
 * over the pieces' sha1 prefixes. Equal content gives equal fingerprints; order and count matter.
 */
export function fingerprintPieces(pieces: readonly MessagePiece[], tools?: MessagePiece): [number, number] {
  let a = 0x9e3779b9 ^ pieces.length;
  let b = 0x7f4a7c15 ^ pieces.length;
  for (const p of pieces) {
    a = mix(mix(a, p.hi), p.lo);
    b = mix(mix(b, p.lo), p.hi);
  }
  if (tools) {
    a = mix(mix(a, tools.hi), tools.lo);
    b = mix(mix(b, tools.lo), tools.hi);
  }
  return [finish(a), finish(b)];
}
