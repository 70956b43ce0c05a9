/**
 * The OpenAI chat-completions wire body ⇄ `ChatRequest`/`ChatResult`, for servers that speak it
 * (the interceptor). Input is validated: a bad body is one `UsageError` naming the field.
 * @module
 */
import { UsageError } from '../errors.ts';
import type { ChatMessage, JsonObject, ToolDefinition } from '../tracing/types.ts';
import type { ChatRequest, ChatResult, ReasoningEffort, ResponseFormat, ToolChoice } from './types.ts';

const KNOWN = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'reasoning_effort',
  'stop',
  'seed',
  'stream',
  'n',
]);

function num(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${key} must be a number`);
  return v;
}

function toolChoiceOf(v: unknown): ToolChoice | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'auto' || v === 'none' || v === 'required') return v;
  const name = (v as { function?: { name?: unknown } }).function?.name;
  if (typeof name === 'string' && name) return { name };
  throw new UsageError(
    'tool_choice must be "auto", "none", "required" or {"type":"function","function":{"name":...}}',
  );
}

function responseFormatOf(v: unknown): ResponseFormat | undefined {
  if (v === undefined || v === null) return undefined;
  const f = v as { type?: unknown; json_schema?: { name?: unknown; schema?: unknown; strict?: unknown } };
  if (f.type === 'text' || f.type === 'json_object') return { type: f.type };
  if (f.type === 'json_schema' && f.json_schema && typeof f.json_schema.schema === 'object') {
    const format: ResponseFormat = {
      type: 'json_schema',
      name: typeof f.json_schema.name === 'string' ? f.json_schema.name : 'response',
      schema: f.json_schema.schema as JsonObject,
    };
    if (typeof f.json_schema.strict === 'boolean') format.strict = f.json_schema.strict;
    return format;
  }
  throw new UsageError(
    'response_format must be {type:"text"|"json_object"} or {type:"json_schema", json_schema:{schema}}',
  );
}

/** Parses a chat-completions request body; unknown fields travel on as `extraBody`. */
export function chatRequestFromOpenAIBody(body: unknown): {
  model: string | undefined;
  request: ChatRequest;
} {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new UsageError('request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (b.stream === true)
    throw new UsageError('stream: true is not supported here', { hint: 'send stream: false' });
  if (b.n !== undefined && b.n !== 1) throw new UsageError('only n = 1 is supported');
  if (!Array.isArray(b.messages) || b.messages.length === 0)
    throw new UsageError('messages must be a non-empty array');
  for (const [i, m] of (b.messages as unknown[]).entries()) {
    const role = (m as { role?: unknown })?.role;
    if (
      role !== 'system' &&
      role !== 'user' &&
      role !== 'assistant' &&
      role !== 'tool' &&
      role !== 'developer'
    ) {
      throw new UsageError(`messages[${i}].role must be system, user, assistant or tool`);
    }
  }
  if (b.model !== undefined && typeof b.model !== 'string') throw new UsageError('model must be a string');
  if (b.tools !== undefined && !Array.isArray(b.tools)) throw new UsageError('tools must be an array');
  const request: ChatRequest = {
    // `developer` is OpenAI's newer name for the system role.
    messages: (b.messages as ChatMessage[]).map((m) =>
      (m.role as string) === 'developer' ? { ...m, role: 'system' } : m,
    ),
  };
  if (Array.isArray(b.tools) && b.tools.length) request.tools = b.tools as ToolDefinition[];
  const choice = toolChoiceOf(b.tool_choice);
  if (choice !== undefined) request.toolChoice = choice;
  if (typeof b.parallel_tool_calls === 'boolean') request.parallelToolCalls = b.parallel_tool_calls;
  const format = responseFormatOf(b.response_format);
  if (format) request.responseFormat = format;
  const numbers: [keyof ChatRequest, string][] = [
    ['temperature', 'temperature'],
    ['topP', 'top_p'],
    ['maxTokens', 'max_tokens'],
    ['maxCompletionTokens', 'max_completion_tokens'],
    ['seed', 'seed'],
  ];
  for (const [field, key] of numbers) {
    const v = num(b, key);
    if (v !== undefined) (request as unknown as Record<string, unknown>)[field] = v;
  }
  if (typeof b.reasoning_effort === 'string') request.reasoningEffort = b.reasoning_effort as ReasoningEffort;
  if (typeof b.stop === 'string') request.stop = [b.stop];
  else if (Array.isArray(b.stop)) request.stop = b.stop.map(String);
  const extra: JsonObject = {};
  for (const [k, v] of Object.entries(b)) if (!KNOWN.has(k)) extra[k] = v as JsonObject[string];
  if (Object.keys(extra).length) request.extraBody = extra;
  return { model: typeof b.model === 'string' ? b.model : undefined, request };
}

const FINISH_WIRE: Record<ChatResult['finishReason'], string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  other: 'stop',
};

/** A `chat.completion` object for a result. */
export function openAICompletionFromResult(result: ChatResult, model: string) {
  const u = result.usage;
  return {
    id: `chatcmpl-${result.record.call_id}`,
    object: 'chat.completion',
    created: Math.floor(Date.parse(result.record.started_at) / 1000),
    model,
    choices: [
      { index: 0, message: result.message, logprobs: null, finish_reason: FINISH_WIRE[result.finishReason] },
    ],
    usage: {
      prompt_tokens: u.prompt_tokens,
      completion_tokens: u.completion_tokens,
      total_tokens: u.total_tokens,
      prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
      completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    },
  };
}
