/**
 * How the filter reads sessions: through the store's raw stream when it has one (messages as stored text,
 * no per-row decoding), and how a stored chat message whose text is already its exported JSON is reused
 * as is, so the export neither decodes nor re-serializes it.
 * @module
 */
import { decodeMessageContent } from '../tracing/sqlite/row-decoding.ts';
import type { RawTraceMessage, SessionSelection, SessionSummary, TraceStore } from '../tracing/store.ts';
import type { ChatMessage, JsonObject } from '../tracing/types.ts';
import { parseCompactChat } from './compact-chat.ts';
import type { KnownJson } from './message-pieces.ts';
import { normalizeMessage, type StoredMessage } from './normalize-message.ts';

/** A session as the filter reads it: the summary and its messages in recorded order. */
export interface FilterSession extends SessionSummary {
  messages: readonly StoredMessage[];
}

/** Our tracer writes chat messages with `JSON.stringify`, which puts no space after a colon. */
const COMPACT_CHAT = '{"role":"';

function parseObject(text: string | null): JsonObject | null {
  if (text === null || text === '{}') return null;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Raw rows as stored messages, in place (the keys are the same; no second object per message): our compact
 * chat JSON stays text (see {@link StoredJson}), other content is decoded as the store does, metadata parsed.
 */
export function decodeInPlace(list: RawTraceMessage[]): StoredMessage[] {
  const out = list as unknown as { message_type: string; content: unknown; metadata: JsonObject | null }[];
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    const c = m.content;
    const metadata = parseObject(m.metadata);
    out[i]!.content = c?.startsWith(COMPACT_CHAT) ? c : decodeMessageContent(c ?? '', m.message_type);
    out[i]!.metadata = metadata;
  }
  return out;
}

/**
 * A copy of `text` that shares no memory with it. The reader thread's texts are slices of one string per
 * page, and V8 keeps a slice's whole parent alive: a cache that outlives a page keeps copies, not slices.
 */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Streams the selected sessions, raw when the store can. */
export async function* readSessions(
  store: TraceStore,
  selection: SessionSelection,
): AsyncGenerator<FilterSession> {
  if (!store.iterateSessionsWithRawMessages) {
    yield* store.iterateSessionsWithMessages(selection);
    return;
  }
  for await (const session of store.iterateSessionsWithRawMessages(selection))
    yield Object.assign(session, { messages: decodeInPlace(session.messages) });
}

/** Key lists reused per depth by {@link sameJson}, so a comparison allocates nothing once warm. */
const KEYS: string[][] = [];

/** Whether two JSON values would serialize to the same text (same keys in the same order, same leaves). */
function sameJson(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], depth + 1)) return false;
    return true;
  }
  // b's keys listed once, a's walked against them in order (for...in lists them as Object.keys does).
  let keys = KEYS[depth];
  if (!keys) {
    keys = [];
    KEYS[depth] = keys;
  }
  let n = 0;
  for (const k in b) if (Object.hasOwn(b, k)) keys[n++] = k;
  let i = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    if (i >= n || keys[i] !== k) return false;
    i++;
  }
  if (i !== n) return false;
  for (let j = 0; j < n; j++) {
    const k = keys[j]!;
    if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1))
      return false;
  }
  return true;
}

const MAX_SYSTEMS = 256;

/**
 * Normalizes stored messages whose content is our compact chat JSON, and remembers that text as the
 * message's JSON when normalization changed nothing (a message that was rewritten is serialized later as
 * usual). System prompts, the same text in every turn of every rollout, are normalized once across sessions.
 */
export class StoredJson {
  readonly #systems = new Map<string, { message: ChatMessage | null; verbatim: boolean }>();

  /** The chat message for `stored`; sets `json.get(message)` to the stored text when it can stand for it. */
  normalize(stored: StoredMessage, idPrefix: string, json: Map<object, KnownJson>): ChatMessage | null {
    const text = stored.content;
    if (typeof text !== 'string' || !text.startsWith(COMPACT_CHAT)) return normalizeMessage(stored, idPrefix);
    // Only a plain system row is shared: metadata and the message type can change a message's role.
    const shareable = stored.message_type === 'system' && !stored.metadata;
    if (shareable) {
      const hit = this.#systems.get(text);
      if (hit) {
        if (hit.message && hit.verbatim) json.set(hit.message, text);
        return hit.message;
      }
    }
    let parsed: unknown;
    try {
      parsed = parseCompactChat(text) ?? JSON.parse(text);
    } catch {
      return normalizeMessage(
        { ...stored, content: decodeMessageContent(text, stored.message_type) },
        idPrefix,
      );
    }
    const message = normalizeMessage(stored, idPrefix, parsed);
    const verbatim = message !== null && sameJson(parsed, message);
    if (verbatim)
      json.set(message, stored.digest ? { text, hi: stored.digest.hi, lo: stored.digest.lo } : text);
    if (shareable) {
      if (this.#systems.size >= MAX_SYSTEMS) this.#systems.clear();
      this.#systems.set(ownCopy(text), { message, verbatim });
    }
    return message;
  }
}
