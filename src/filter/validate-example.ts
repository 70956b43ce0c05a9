/**
 * Checks one line against the documented rules of OpenAI's fine-tuning formats: chat SFT
 * (`{messages, tools?, parallel_tool_calls?}`) and DPO (`{input, preferred_output, non_preferred_output}`).
 * Returns the first problem as a short reason, or null when the line is fine.
 * @module
 */

import { knownObjectArguments } from './tool-calls.ts';

type Obj = Record<string, unknown>;

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const MESSAGE_KEYS = new Set([
  'role',
  'content',
  'name',
  'tool_calls',
  'tool_call_id',
  'weight',
  'function_call',
]);
const CHAT_KEYS = new Set(['messages', 'tools', 'parallel_tool_calls', 'metadata']);
const DPO_KEYS = new Set(['input', 'preferred_output', 'non_preferred_output', 'metadata']);
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const IMAGE_URL = /^(https?:\/\/\S+|data:image\/(jpeg|jpg|png|webp|gif);base64,[A-Za-z0-9+/=\s]+)$/;

/** The empty list of open calls, shared (never written: a turn with calls gets its own list). */
const NO_OPEN: string[] = [];

/** A message's place in a line, built only when a problem is reported. */
const where = (i: number) => `messages[${i}]`;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problem with a content value for `role`, or null. */
function checkContent(role: string, content: unknown, i: number): string | null {
  if (typeof content === 'string') return null;
  const at = where(i);
  if (!Array.isArray(content)) return `${at}: content must be a string or an array of content parts`;
  if (content.length === 0) return `${at}: content array is empty`;
  for (const [k, part] of content.entries()) {
    if (!isObject(part)) return `${at}: content part ${k} is not an object`;
    if (part.type === 'text') {
      if (typeof part.text !== 'string') return `${at}: text part ${k} needs a string "text"`;
    } else if (part.type === 'image_url') {
      if (role !== 'user') return `${at}: images are allowed only in user messages`;
      const image = part.image_url;
      if (!isObject(image) || typeof image.url !== 'string')
        return `${at}: image part ${k} needs image_url.url`;
      if (!IMAGE_URL.test(image.url))
        return `${at}: image part ${k} url must be http(s) or a base64 data URL`;
      if (image.detail !== undefined && !['auto', 'low', 'high'].includes(image.detail as string))
        return `${at}: image part ${k} detail must be auto, low or high`;
    } else {
      return `${at}: unknown content part type ${JSON.stringify(part.type)}`;
    }
  }
  return null;
}

function checkToolCalls(calls: unknown, i: number, toolNames: Set<string> | undefined): string | null {
  if (!Array.isArray(calls) || calls.length === 0) return `${where(i)}: tool_calls must be a non-empty array`;
  for (let k = 0; k < calls.length; k++) {
    const call: unknown = calls[k];
    if (!isObject(call)) return `${where(i)} tool_calls[${k}] is not an object`;
    if (typeof call.id !== 'string' || call.id === '')
      return `${where(i)} tool_calls[${k}] needs a string id`;
    // Lists are short: a scan of the earlier ids costs less than a Set per message.
    for (let e = 0; e < k; e++)
      if ((calls[e] as Obj).id === call.id) return `${where(i)} tool_calls[${k}] repeats id ${call.id}`;
    if (call.type !== 'function') return `${where(i)} tool_calls[${k}] type must be "function"`;
    const fn = call.function;
    if (!isObject(fn) || typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name))
      return `${where(i)} tool_calls[${k}] needs function.name matching ^[a-zA-Z0-9_-]{1,64}$`;
    if (toolNames && !toolNames.has(fn.name))
      return `${where(i)} tool_calls[${k}] calls ${fn.name}, which is not in tools`;
    if (typeof fn.arguments !== 'string')
      return `${where(i)} tool_calls[${k}] function.arguments must be a JSON string`;
    // Calls the filter mapped itself already parsed their arguments (see `knownObjectArguments`).
    if (knownObjectArguments(fn) === fn.arguments) continue;
    let args: unknown;
    try {
      args = JSON.parse(fn.arguments);
    } catch {
      return `${where(i)} tool_calls[${k}] function.arguments is not valid JSON`;
    }
    if (!isObject(args)) return `${where(i)} tool_calls[${k}] function.arguments must encode a JSON object`;
  }
  return null;
}

/** Problem with a `tools` array, or null; fills `names` with the defined function names. */
function checkTools(tools: unknown, names: Set<string>): string | null {
  if (!Array.isArray(tools) || tools.length === 0) return 'tools must be a non-empty array';
  for (const [k, tool] of tools.entries()) {
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function))
      return `tools[${k}] must be {"type": "function", "function": {...}}`;
    const fn = tool.function;
    if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name))
      return `tools[${k}].function.name must match ^[a-zA-Z0-9_-]{1,64}$`;
    if (fn.description !== undefined && typeof fn.description !== 'string')
      return `tools[${k}].function.description must be a string`;
    if (fn.parameters !== undefined && (!isObject(fn.parameters) || fn.parameters.type !== 'object'))
      return `tools[${k}].function.parameters must be a JSON schema with type "object"`;
    names.add(fn.name);
  }
  return null;
}

/** Problem with a message list, or null. `requireAssistant`: SFT lines need at least one assistant turn. */
function checkMessages(messages: unknown, requireAssistant: boolean, toolNames?: Set<string>): string | null {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages must be a non-empty array';
  // Calls of the latest assistant turn still waiting for their tool message, in call order (usually none:
  // a short array, and none allocated for a line's last turn).
  let open: string[] = NO_OPEN;
  let assistants = 0;
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message)) return `${where(i)} is not an object`;
    const role = message.role;
    if (typeof role !== 'string' || !ROLES.has(role))
      return `${where(i)}: unknown role ${JSON.stringify(role)}`;
    for (const key in message)
      if (Object.hasOwn(message, key) && !MESSAGE_KEYS.has(key)) return `${where(i)}: unknown key "${key}"`;
    if (message.weight !== undefined) {
      if (role !== 'assistant') return `${where(i)}: weight is allowed only on assistant messages`;
      if (message.weight !== 0 && message.weight !== 1) return `${where(i)}: weight must be 0 or 1`;
    }
    if (role !== 'tool' && open.length > 0)
      return `${where(i)}: tool call ${open[0]} has no tool message answering it`;
    if (role === 'assistant') {
      assistants++;
      const hasCalls = message.tool_calls !== undefined && message.tool_calls !== null;
      if (hasCalls) {
        const problem = checkToolCalls(message.tool_calls, i, toolNames);
        if (problem) return problem;
        if (i < messages.length - 1) open = (message.tool_calls as { id: string }[]).map((c) => c.id);
      }
      if (message.content === null || message.content === undefined || message.content === '') {
        if (!hasCalls && message.function_call === undefined)
          return `${where(i)}: assistant needs content or tool_calls`;
      } else {
        const problem = checkContent(role, message.content, i);
        if (problem) return problem;
      }
      continue;
    }
    if (message.tool_calls !== undefined) return `${where(i)}: only assistant messages may have tool_calls`;
    if (role === 'tool') {
      if (typeof message.tool_call_id !== 'string') return `${where(i)}: tool message needs tool_call_id`;
      const at = open.indexOf(message.tool_call_id);
      if (at < 0)
        return `${where(i)}: tool message answers ${message.tool_call_id}, which no preceding assistant tool call has open`;
      open.splice(at, 1);
    } else if (message.tool_call_id !== undefined) {
      return `${where(i)}: only tool messages may have tool_call_id`;
    }
    if (message.content === null || message.content === undefined || message.content === '')
      return `${where(i)}: ${role} message needs content`;
    const problem = checkContent(role, message.content, i);
    if (problem) return problem;
  }
  if (requireAssistant && assistants === 0) return 'messages need at least one assistant message';
  return null;
}

function checkUnknownKeys(line: Obj, allowed: Set<string>): string | null {
  for (const key in line)
    if (Object.hasOwn(line, key) && !allowed.has(key)) return `unknown top-level key "${key}"`;
  return null;
}

/** First problem of a chat SFT line (parsed JSON), or null. */
export function validateChatExample(line: unknown): string | null {
  if (!isObject(line)) return 'line is not a JSON object';
  const unknown = checkUnknownKeys(line, CHAT_KEYS);
  if (unknown) return unknown;
  let names: Set<string> | undefined;
  if (line.tools !== undefined) {
    names = new Set();
    const problem = checkTools(line.tools, names);
    if (problem) return problem;
  }
  if (line.parallel_tool_calls !== undefined && typeof line.parallel_tool_calls !== 'boolean')
    return 'parallel_tool_calls must be a boolean';
  return checkMessages(line.messages, true, names);
}

/** First problem of a DPO line (parsed JSON), or null. */
export function validateDpoExample(line: unknown): string | null {
  if (!isObject(line)) return 'line is not a JSON object';
  const unknown = checkUnknownKeys(line, DPO_KEYS);
  if (unknown) return unknown;
  if (!isObject(line.input)) return 'input must be an object with messages';
  let names: Set<string> | undefined;
  if (line.input.tools !== undefined) {
    names = new Set();
    const problem = checkTools(line.input.tools, names);
    if (problem) return `input.${problem}`;
  }
  const inputProblem = checkMessages(line.input.messages, false, names);
  if (inputProblem) return `input.${inputProblem}`;
  for (const key of ['preferred_output', 'non_preferred_output'] as const) {
    const output = line[key];
    if (!Array.isArray(output) || output.length !== 1)
      return `${key} must be an array of one assistant message`;
    if (!isObject(output[0]) || output[0].role !== 'assistant')
      return `${key}[0] must be an assistant message`;
    const problem = checkMessages(output, true, names);
    if (problem) return `${key}: ${problem}`;
  }
  if (JSON.stringify(line.preferred_output) === JSON.stringify(line.non_preferred_output))
    return 'preferred_output and non_preferred_output are identical';
  return null;
}

/** Validates a line of either format, picking by its keys. */
export function validateExampleLine(line: unknown): string | null {
  if (isObject(line) && 'preferred_output' in line) return validateDpoExample(line);
  return validateChatExample(line);
}
