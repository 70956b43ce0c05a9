/**
 * Tool calls and tool definitions in the many shapes traces hold them, mapped to OpenAI's shapes:
 * `tool_calls` with ids and JSON-string arguments, and `tools` as `{type: 'function', function}`.
 * @module
 */
import type { ChatToolCall, JsonObject, JsonValue, ToolDefinition } from '../tracing/types.ts';
import { parsePythonLiteral } from './python-literal.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `function` objects of calls mapped here whose `arguments` encode a JSON object, with that text: the
 * fine-tuning validator checks exactly this of every call, and need not parse the text a second time.
 */
const OBJECT_ARGUMENTS = new WeakMap<object, string>();

/**
 * The same mark on calls checked as stored ({@link isOpenAIToolCallList}), the common case by far: a symbol
 * key, which JSON.stringify and for...in skip. A WeakMap holding a million short-lived keys cost ~0.3 µs a
 * key (~0.25 s per 100k-session export) in its table and in the collector; a property costs ~13 ns. Those
 * objects are the filter's own parse of a stored text, so the extra key shows nowhere else; a copy of one
 * with other arguments no longer matches the text, so it is checked again.
 */
const CHECKED_ARGUMENTS = Symbol('checkedArguments');
type Marked = { [CHECKED_ARGUMENTS]?: string };

/** The arguments text of a call's `function` object made here, when it is known to encode a JSON object. */
export function knownObjectArguments(fn: object): string | undefined {
  return (fn as Marked)[CHECKED_ARGUMENTS] ?? OBJECT_ARGUMENTS.get(fn);
}

const OBJECT_TEXTS_MAX = 4096;
const OBJECT_TEXT_MAX_LENGTH = 256;
/** Short arguments texts already parsed, and whether each encodes a JSON object: agents repeat their calls. */
let objectTexts = new Map<string, boolean>();

/** Whether `text` parses as a JSON object (remembered for short texts). */
function encodesObject(text: string): boolean {
  const short = text.length <= OBJECT_TEXT_MAX_LENGTH;
  if (short) {
    const known = objectTexts.get(text);
    if (known !== undefined) return known;
  }
  let result: boolean;
  try {
    result = isObject(JSON.parse(text));
  } catch {
    result = false;
  }
  if (short) {
    if (objectTexts.size >= OBJECT_TEXTS_MAX) objectTexts = new Map();
    objectTexts.set(text, result);
  }
  return result;
}

/** Set by {@link argumentsJson}: whether the text it returned last encodes a JSON object. */
let lastArgumentsAreObject = false;

/**
 * Arguments as OpenAI wants them: a JSON string of an object. A JSON or Python string is re-encoded.
 * Sets {@link lastArgumentsAreObject} (a valid call needs an object; the validator decides), so the common
 * case allocates nothing more than the text.
 */
function argumentsJson(raw: unknown): string | undefined {
  lastArgumentsAreObject = true;
  if (raw === undefined || raw === null) return '{}';
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    if (trimmed === '') return '{}';
    try {
      // Valid JSON is kept as the model wrote it.
      lastArgumentsAreObject = isObject(JSON.parse(trimmed));
      return trimmed;
    } catch {
      const literal = parsePythonLiteral(trimmed);
      lastArgumentsAreObject = isObject(literal);
      return literal === undefined ? undefined : JSON.stringify(literal);
    }
  }
  lastArgumentsAreObject = isObject(raw);
  if (typeof raw === 'object') return JSON.stringify(raw);
  return undefined;
}

/** One call in any known shape (OpenAI, synth-ai's `tool_name`, recorded `arguments_json`), or undefined. */
function mapOneToolCall(raw: unknown, fallbackId: string): ChatToolCall | undefined {
  if (!isObject(raw)) return undefined;
  const fn = isObject(raw.function) ? raw.function : undefined;
  const name = fn?.name ?? raw.tool_name ?? raw.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const args = argumentsJson(
    fn ? fn.arguments : (raw.arguments ?? raw.arguments_json ?? raw.args ?? raw.input ?? raw.parameters),
  );
  if (args === undefined) return undefined;
  const id = raw.id ?? raw.call_id ?? raw.tool_call_id;
  const mapped = { name, arguments: args };
  if (lastArgumentsAreObject) OBJECT_ARGUMENTS.set(mapped, args);
  return {
    id: typeof id === 'string' && id !== '' ? id : fallbackId,
    type: 'function',
    function: mapped,
  };
}

/** Whether `o`'s keys are exactly `keys`, in that order (the order JSON.stringify would write them). */
export function hasExactKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

const CALL_KEYS = ['id', 'type', 'function'] as const;
const FUNCTION_KEYS = ['name', 'arguments'] as const;

/**
 * Whether `raw` is a non-empty list of calls exactly as {@link mapToolCalls} would write them (OpenAI's shape,
 * keys in its order, ids and names given, arguments a trimmed JSON object text), so it can be kept as is.
 * Records each call's arguments as checked (see {@link knownObjectArguments}).
 */
export function isOpenAIToolCallList(raw: unknown): boolean {
  if (!Array.isArray(raw) || raw.length === 0) return false;
  for (const call of raw) {
    if (!isObject(call) || !hasExactKeys(call, CALL_KEYS)) return false;
    const fn = call.function;
    if (typeof call.id !== 'string' || call.id === '' || call.type !== 'function') return false;
    if (!isObject(fn) || !hasExactKeys(fn, FUNCTION_KEYS)) return false;
    const args = fn.arguments;
    if (typeof fn.name !== 'string' || fn.name === '' || typeof args !== 'string') return false;
    if (args === '' || args.trim() !== args || !encodesObject(args)) return false;
  }
  for (const call of raw) {
    const fn = call.function as Marked & { arguments: string };
    fn[CHECKED_ARGUMENTS] = fn.arguments;
  }
  return true;
}

/**
 * Maps a list of tool calls in any known shape; undefined when any entry is not a tool call
 * (so ordinary text that merely parses as a list stays text).
 */
export function mapToolCalls(raw: unknown, idPrefix: string): ChatToolCall[] | undefined {
  const list = Array.isArray(raw)
    ? raw
    : isObject(raw) && Array.isArray(raw.tool_calls)
      ? raw.tool_calls
      : [raw];
  if (list.length === 0) return undefined;
  const out: ChatToolCall[] = [];
  for (let i = 0; i < list.length; i++) {
    const call = mapOneToolCall(list[i], `${idPrefix}_${i}`);
    if (!call) return undefined;
    out.push(call);
  }
  return out;
}

/**
 * Reads assistant text that is really a tool-call list: JSON or a Python repr such as
 * `[{'tool_name': 'interact_many', 'arguments': {...}}]`. Undefined when it is plain text.
 */
export function parseToolCallText(text: string, idPrefix: string): ChatToolCall[] | undefined {
  const trimmed = text.trim();
  const first = trimmed[0];
  if (first !== '[' && first !== '{') return undefined;
  let parsed: JsonValue | undefined;
  try {
    parsed = JSON.parse(trimmed) as JsonValue;
  } catch {
    parsed = parsePythonLiteral(trimmed);
  }
  if (parsed === undefined) return undefined;
  // A single dict counts only when it is clearly a call (has a tool name), not any JSON object.
  if (isObject(parsed) && !('tool_calls' in parsed) && !('tool_name' in parsed) && !isObject(parsed.function))
    return undefined;
  return mapToolCalls(parsed, idPrefix);
}

/** Maps tool definitions (OpenAI's, or bare `{name, description, parameters}`) to OpenAI's `tools`. */
export function mapToolDefinitions(raw: unknown): ToolDefinition[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const out: ToolDefinition[] = [];
  for (const entry of raw) {
    if (!isObject(entry)) return undefined;
    const fn = isObject(entry.function) ? entry.function : entry;
    if (typeof fn.name !== 'string') return undefined;
    const definition: ToolDefinition['function'] = {
      name: fn.name,
      parameters: (isObject(fn.parameters)
        ? fn.parameters
        : { type: 'object', properties: {} }) as JsonObject,
    };
    if (typeof fn.description === 'string') definition.description = fn.description;
    if (typeof fn.strict === 'boolean') definition.strict = fn.strict;
    out.push({ type: 'function', function: definition });
  }
  return out;
}
