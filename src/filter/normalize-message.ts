/**
 * Turns a stored message, whatever wrote it, into one OpenAI chat message. Our tracer stores chat messages
 * already; DBs written by the Python synth-ai hold `policy_*` message types, JSON wrappers
 * (`{"text"}`, `{"payload"}`, `{"content"}`, `{"json_payload"}`) or plain text, and repr strings of tool calls.
 * @module
 */
import type { ChatMessage, ContentPart, JsonObject } from '../tracing/types.ts';
import { hasExactKeys, isOpenAIToolCallList, mapToolCalls, parseToolCallText } from './tool-calls.ts';

type Role = ChatMessage['role'];

/** Message types from any synth-ai version, to chat roles. */
const ROLE_BY_TYPE: Record<string, Role> = {
  system: 'system',
  user: 'user',
  assistant: 'assistant',
  tool_use: 'assistant',
  tool_result: 'tool',
  tool: 'tool',
  policy_system_prompt: 'system',
  policy_user_prompt: 'user',
  policy_tool_call: 'assistant',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A content part from any known shape, or undefined when it is not one. */
function mapPart(raw: unknown): ContentPart | undefined {
  if (typeof raw === 'string') return { type: 'text', text: raw };
  if (!isObject(raw)) return undefined;
  if ((raw.type === 'text' || raw.type === 'input_text') && typeof raw.text === 'string')
    return { type: 'text', text: raw.text };
  const image = raw.image_url ?? raw.uri ?? raw.url;
  const isImage = raw.type === 'image_url' || raw.type === 'image' || raw.type === 'input_image';
  if (isImage) {
    let url = isObject(image) ? image.url : image;
    if (typeof url !== 'string' && typeof raw.base64_data === 'string')
      url = `data:${typeof raw.mime_type === 'string' ? raw.mime_type : 'image/png'};base64,${raw.base64_data}`;
    if (typeof url !== 'string' || url === '') return undefined;
    const detail = isObject(image) ? image.detail : raw.detail;
    const part: ContentPart = { type: 'image_url', image_url: { url } };
    if (detail === 'auto' || detail === 'low' || detail === 'high') part.image_url.detail = detail;
    return part;
  }
  return undefined;
}

/** Unwraps stored content to a string or content parts; `null` when there is nothing. */
export function unwrapContent(raw: unknown, depth = 0): string | ContentPart[] | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') {
    const first = raw.trimStart()[0];
    if (depth < 4 && first === '{') {
      try {
        const parsed = JSON.parse(raw);
        if (isObject(parsed) && hasWrapperKey(parsed)) return unwrapContent(parsed, depth + 1);
      } catch {
        // plain text that starts with a brace
      }
    }
    return raw;
  }
  if (Array.isArray(raw)) {
    const parts: ContentPart[] = [];
    for (const entry of raw) {
      const part = mapPart(entry);
      if (!part) return JSON.stringify(raw);
      parts.push(part);
    }
    if (parts.every((p) => p.type === 'text'))
      return parts.map((p) => (p as { text: string }).text).join('\n');
    return parts;
  }
  if (isObject(raw) && depth < 4) {
    for (const key of ['content', 'text', 'content_text', 'payload', 'json_payload'] as const) {
      if (raw[key] !== undefined && raw[key] !== null) return unwrapContent(raw[key], depth + 1);
    }
  }
  return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}

function hasWrapperKey(value: Record<string, unknown>): boolean {
  return (
    'content' in value || 'text' in value || 'payload' in value || 'json_payload' in value || 'role' in value
  );
}

/** The stored message in a form this module reads. */
export interface StoredMessage {
  message_type: string;
  content: unknown;
  metadata?: JsonObject | null;
  /** Set by the filter's I/O thread: the content text holds no secret, and this is its sha1 prefix. */
  digest?: { hi: number; lo: number };
}

const TEXT_KEYS = ['role', 'content'] as const;
const CALLS_KEYS = ['role', 'content', 'tool_calls'] as const;

/**
 * Whether a chat message is already exactly what {@link normalizeMessage} would make of it: a system or user
 * message with text (not blank), or an assistant's tool calls in OpenAI's shape, keys in OpenAI's order.
 * Most stored messages are (our tracer writes them so): they are used as they are, with nothing rebuilt.
 */
function isOpenAIShaped(chat: Record<string, unknown>): boolean {
  const { role, content } = chat;
  if (role === 'system' || role === 'user')
    return typeof content === 'string' && NOT_BLANK.test(content) && hasExactKeys(chat, TEXT_KEYS);
  return (
    role === 'assistant' &&
    (content === null || typeof content === 'string') &&
    hasExactKeys(chat, CALLS_KEYS) &&
    isOpenAIToolCallList(chat.tool_calls)
  );
}

const NOT_BLANK = /\S/;

/**
 * Maps one stored message to a chat message, or null when it carries nothing a dataset can use.
 * `idPrefix` makes generated tool-call ids unique within the session. `parsed`, when given, stands for the
 * message's content (its text already parsed), so a caller need not copy the message to replace it.
 */
export function normalizeMessage(
  message: StoredMessage,
  idPrefix: string,
  parsed?: unknown,
): ChatMessage | null {
  let content = parsed === undefined ? message.content : parsed;
  if (typeof content === 'string' && content.startsWith('{"role"')) {
    try {
      content = JSON.parse(content);
    } catch {
      // plain text
    }
  }
  const chat = isObject(content) && typeof content.role === 'string' ? content : undefined;
  // Used as it is only when its own role counts (a `policy_*` type overrules it, below).
  if (chat && !message.message_type.startsWith('policy_') && isOpenAIShaped(chat))
    return chat as unknown as ChatMessage;
  // The original's `policy_*` types name the role; a decoder that guessed a role from them is overruled.
  const typeRole = message.metadata?.is_tool_call === true ? 'assistant' : ROLE_BY_TYPE[message.message_type];
  const role = message.message_type.startsWith('policy_')
    ? typeRole
    : ((chat?.role as Role | undefined) ?? typeRole);
  if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') return null;
  const body = chat ? chat.content : content;
  // Our own chat messages keep their text as written; only foreign wrappers are unwrapped.
  const text = chat && typeof body === 'string' ? body : unwrapContent(body);
  const out: ChatMessage = { role, content: text };
  if (role === 'assistant') {
    const rawCalls = chat?.tool_calls ?? (isObject(body) ? body.tool_calls : undefined);
    let calls = rawCalls !== undefined ? mapToolCalls(rawCalls, idPrefix) : undefined;
    if (!calls && message.message_type === 'tool_use' && isObject(body)) calls = mapToolCalls(body, idPrefix);
    if (!calls && typeof out.content === 'string') {
      calls = parseToolCallText(out.content, idPrefix);
      if (calls) out.content = null;
    }
    if (calls && calls.length > 0) out.tool_calls = calls;
  }
  if (role === 'tool') {
    const id =
      chat?.tool_call_id ??
      (isObject(body) ? (body.tool_call_id ?? body.call_id) : undefined) ??
      message.metadata?.tool_call_id ??
      message.metadata?.call_id;
    if (typeof id === 'string' && id !== '') out.tool_call_id = id;
  }
  if (typeof chat?.name === 'string' && role !== 'tool') out.name = chat.name;
  if (out.content === null && !out.tool_calls) return null;
  if (typeof out.content === 'string' && out.content.trim() === '' && !out.tool_calls && role !== 'assistant')
    return null;
  return out;
}
