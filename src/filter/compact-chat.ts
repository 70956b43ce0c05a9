/**
 * A parser for the two chat-message shapes our tracer writes most, exactly as `JSON.stringify` writes them:
 * a text message (`{"role":"user","content":"..."}`, system or user) and an assistant turn of tool calls
 * (`{"role":"assistant","content":null,"tool_calls":[{"id":"...","type":"function","function":{"name":"...",
 * "arguments":"..."}}]}`). Only the string literals go through `JSON.parse`; the fixed text around them is
 * compared, not parsed. It gives the same object `JSON.parse` gives, or undefined for anything else, so the
 * caller falls back to `JSON.parse`. Measured on the filter bench's messages: 0.27 vs 0.37 µs a user
 * message, 0.80 vs 0.97 µs an assistant turn; a whole `readConversation`, 0.76 vs 0.83 µs a message. A
 * literal without a backslash (ids, tool names) is taken as it is, not parsed: 0.84 vs 0.91 µs an assistant
 * turn in a later run (19,500 turns, same process).
 * @module
 */

const TEXT_ROLES = ['system', 'user'] as const;
const TEXT_PREFIXES = TEXT_ROLES.map((role) => `{"role":"${role}","content":`);
const CALLS_PREFIX = '{"role":"assistant","content":null,"tool_calls":[';
const CALL_ID = '{"id":';
const CALL_NAME = ',"type":"function","function":{"name":';
const CALL_ARGUMENTS = ',"arguments":';
const CALL_END = '}}';
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

/** The index just past the string literal opening at `start`, or -1 when none opens or closes there. */
function literalEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== QUOTE) return -1;
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let slash = quote - 1;
    while (text.charCodeAt(slash) === BACKSLASH) slash--;
    // An even run of backslashes escapes only itself: the quote closes the literal.
    if ((quote - 1 - slash) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Characters JSON forbids raw inside a string literal (U+0000 to U+001F). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching exactly these characters is the point
const CONTROL = /[\u0000-\u001f]/;

/** The string literal at `start` and the index after it; undefined when there is none (or it is invalid). */
function readString(text: string, start: number): [string, number] | undefined {
  const end = literalEnd(text, start);
  if (end < 0) return undefined;
  // Without a backslash the literal's value is its text (ids and tool names, mostly): no parse needed, once
  // no raw control character makes it invalid.
  const value = text.slice(start + 1, end - 1);
  if (!value.includes('\\')) return CONTROL.test(value) ? undefined : [value, end];
  try {
    return [JSON.parse(text.slice(start, end)) as string, end];
  } catch {
    return undefined;
  }
}

function parseText(text: string): Record<string, unknown> | undefined {
  for (let r = 0; r < TEXT_ROLES.length; r++) {
    const prefix = TEXT_PREFIXES[r]!;
    if (!text.startsWith(prefix)) continue;
    const content = readString(text, prefix.length);
    if (!content || content[1] !== text.length - 1 || text.charCodeAt(content[1]) !== 125) return undefined;
    return { role: TEXT_ROLES[r], content: content[0] };
  }
  return undefined;
}

function parseCalls(text: string): Record<string, unknown> | undefined {
  if (!text.endsWith(']}')) return undefined;
  const calls: unknown[] = [];
  let at = CALLS_PREFIX.length;
  for (;;) {
    if (!text.startsWith(CALL_ID, at)) return undefined;
    const id = readString(text, at + CALL_ID.length);
    if (!id || !text.startsWith(CALL_NAME, id[1])) return undefined;
    const name = readString(text, id[1] + CALL_NAME.length);
    if (!name || !text.startsWith(CALL_ARGUMENTS, name[1])) return undefined;
    const args = readString(text, name[1] + CALL_ARGUMENTS.length);
    if (!args || !text.startsWith(CALL_END, args[1])) return undefined;
    calls.push({ id: id[0], type: 'function', function: { name: name[0], arguments: args[0] } });
    at = args[1] + CALL_END.length;
    if (text.charCodeAt(at) !== COMMA) break;
    at++;
  }
  if (at !== text.length - 2) return undefined;
  return { role: 'assistant', content: null, tool_calls: calls };
}

/** `JSON.parse(text)` for a compact text or tool-call message; undefined for any other text. */
export function parseCompactChat(text: string): Record<string, unknown> | undefined {
  return text.startsWith(CALLS_PREFIX) ? parseCalls(text) : parseText(text);
}
