/**
 * Builds fine-tuning examples from one session's messages: one per assistant turn (with the context the
 * model saw at that turn) or one per whole conversation.
 * @module
 */
import type { ChatMessage, ChatToolCall, ToolDefinition } from '../tracing/types.ts';
import type { KnownJson } from './message-pieces.ts';
import { normalizeMessage } from './normalize-message.ts';
import type { FilterSession, StoredJson } from './read-sessions.ts';
import { mapToolDefinitions } from './tool-calls.ts';

/** `turn`: one example per assistant turn; `conversation`: one example per session. */
export type ExampleMode = 'turn' | 'conversation';

/** What a session yields before metadata, scrubbing and dedup. */
export interface SessionConversation {
  messages: ChatMessage[];
  tools: ToolDefinition[] | undefined;
  hasImages: boolean;
  /** Messages whose stored text is already their exported JSON (see `read-sessions.ts`), by message. */
  json?: Map<object, KnownJson>;
}

/** Stands in for a tool result the trace never recorded, so the line stays valid; counted in the manifest. */
export const MISSING_TOOL_RESULT = '[no tool result recorded]';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tool definitions from message metadata (`tools` or `request_params.tools`), else session metadata. */
function findTools(session: FilterSession): ToolDefinition[] | undefined {
  for (const message of session.messages) {
    const meta = message.metadata;
    if (!meta) continue;
    const raw = meta.tools ?? (isObject(meta.request_params) ? meta.request_params.tools : undefined);
    const tools = mapToolDefinitions(raw);
    if (tools) return tools;
  }
  const meta = session.metadata ?? {};
  return mapToolDefinitions(
    meta.tools ?? (isObject(meta.request_params) ? meta.request_params.tools : undefined),
  );
}

/** `call_<i>` for the first messages, made once: most ids are never needed, and every message gets one. */
const ID_PREFIXES: string[] = [];
function idPrefix(i: number): string {
  if (i >= 1024) return `call_${i}`;
  let prefix = ID_PREFIXES[i];
  if (prefix === undefined) {
    prefix = `call_${i}`;
    ID_PREFIXES[i] = prefix;
  }
  return prefix;
}

/**
 * Normalizes every message of a session and links tool results that lack a `tool_call_id`. With `stored`,
 * messages whose stored text can stand for their JSON are recorded in `json`.
 */
export function readConversation(session: FilterSession, stored?: StoredJson): SessionConversation {
  const messages: ChatMessage[] = [];
  const json = stored ? new Map<object, KnownJson>() : undefined;
  // The latest assistant turn's calls, and (listed only once a tool message comes) those not yet answered.
  let calls: readonly ChatToolCall[] | undefined;
  let pending: string[] | undefined;
  let hasImages = false;
  for (let i = 0; i < session.messages.length; i++) {
    const prefix = idPrefix(i);
    const message =
      stored && json
        ? stored.normalize(session.messages[i]!, prefix, json)
        : normalizeMessage(session.messages[i]!, prefix);
    if (!message) continue;
    if (message.role === 'assistant') {
      calls = message.tool_calls;
      pending = undefined;
    }
    if (message.role === 'tool') {
      pending ??= calls ? calls.map((c) => c.id) : [];
      if (message.tool_call_id === undefined && pending.length > 0) {
        message.tool_call_id = pending[0];
        json?.delete(message);
      }
      pending = pending.filter((id) => id !== message.tool_call_id);
    }
    if (!hasImages && Array.isArray(message.content))
      hasImages = message.content.some((p) => p.type === 'image_url');
    messages.push(message);
  }
  if (!hasImages && session.metadata?.has_image === true) hasImages = true;
  return { messages, tools: findTools(session), hasImages, json };
}

/** No call ids (shared, never written). */
const NO_IDS: readonly string[] = [];

/**
 * `messages[from, to)`, with a placeholder tool message for each call that no tool message answers before
 * the conversation goes on (OpenAI rejects an answered-by-nothing call in the middle). Returns how many were
 * added. Allocates nothing beyond the copy unless the messages hold tool calls.
 */
function closeToolCalls(
  messages: readonly ChatMessage[],
  from: number,
  to: number,
): { messages: ChatMessage[]; added: number } {
  const out: ChatMessage[] = [];
  let added = 0;
  let open = NO_IDS;
  for (let k = from; k < to; k++) {
    const message = messages[k]!;
    if (message.role === 'tool') {
      if (open.length > 0) open = open.filter((id) => id !== message.tool_call_id);
    } else {
      for (const id of open) out.push({ role: 'tool', tool_call_id: id, content: MISSING_TOOL_RESULT });
      added += open.length;
      open = NO_IDS;
      if (message.role === 'assistant' && message.tool_calls) open = message.tool_calls.map((c) => c.id);
    }
    out.push(message);
  }
  return { messages: out, added };
}

/** One built example, before metadata. */
export interface BuiltExample {
  messages: ChatMessage[];
  /** Placeholder tool results added (see {@link MISSING_TOOL_RESULT}). */
  placeholders: number;
}

/**
 * One example per assistant turn. The context starts at the latest system prompt before the turn, so a
 * stateless policy (which re-sends the system prompt each turn, like Crafter's) yields system + observation,
 * and a chat that keeps its history yields the whole history the model was sent.
 */
export function buildTurnExamples(conversation: SessionConversation): BuiltExample[] {
  const { messages } = conversation;
  const out: BuiltExample[] = [];
  let systemAt = -1;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role === 'system') systemAt = i;
    if (message.role !== 'assistant') continue;
    const start = Math.max(systemAt, 0);
    if (start === i) continue;
    // Earlier assistant turns in the context may leave calls unanswered; this turn's calls are the target.
    const closed = closeToolCalls(messages, start, i);
    closed.messages.push(message);
    out.push({ messages: closed.messages, placeholders: closed.added });
  }
  return out;
}

function sameContent(a: ChatMessage, b: ChatMessage): boolean {
  return a.content === b.content || JSON.stringify(a.content) === JSON.stringify(b.content);
}

/**
 * The whole session as one example: repeated identical system prompts collapse to one, and trailing
 * messages after the last assistant turn are dropped (nothing learns from them). Null without an assistant turn.
 */
export function buildConversationExample(conversation: SessionConversation): BuiltExample | null {
  const kept: ChatMessage[] = [];
  let lastSystem: ChatMessage | undefined;
  let lastAssistant = -1;
  for (const message of conversation.messages) {
    if (message.role === 'system') {
      if (lastSystem && sameContent(lastSystem, message)) continue;
      lastSystem = message;
    }
    kept.push(message);
    if (message.role === 'assistant') lastAssistant = kept.length - 1;
  }
  if (lastAssistant < 0) return null;
  const closed = closeToolCalls(kept, 0, lastAssistant);
  closed.messages.push(kept[lastAssistant]!);
  return { messages: closed.messages, placeholders: closed.added };
}
