import { randomUUID } from 'node:crypto';
import type { ChatModel, ChatRequest, ChatResult } from '../inference/types.ts';
import type { ChatMessage, ChatToolCall, JsonObject, TokenUsage } from '../tracing/types.ts';

/**
 * A transport failure, shaped like the inference layer's `InferenceError` (`retryable`, `retryAfterMs`,
 * `kind`) so the judge's retry loop treats both alike.
 */
export class JudgeTransportError extends Error {
  readonly kind: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(
    kind: string,
    message: string,
    options: { status?: number; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'JudgeTransportError';
    this.kind = kind;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Settings of the judge's own minimal HTTP client. */
export interface FetchChatModelSettings {
  provider: string;
  api: 'openai-chat' | 'anthropic-messages';
  model: string;
  baseURL: string;
  apiKey?: string;
  /** Per-attempt timeout. @default 60000 */
  timeoutMs?: number;
  /** USD per 1M tokens, when known. */
  price?: { input: number; output: number };
}

function retryAfter(res: Response): number | undefined {
  const ms = res.headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const s = res.headers.get('retry-after');
  return s && Number.isFinite(Number(s)) ? Number(s) * 1000 : undefined;
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
  signal?: AbortSignal,
) {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: combined,
    });
  } catch (err) {
    if (timeout.aborted)
      throw new JudgeTransportError('timeout', `no answer within ${timeoutMs} ms`, { retryable: true });
    if (signal?.aborted) throw err;
    throw new JudgeTransportError(
      'connection',
      `cannot reach ${new URL(url).host}: ${(err as Error).message}`,
      { retryable: true },
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new JudgeTransportError(timeout.aborted ? 'timeout' : 'connection', 'response body cut off', {
      retryable: true,
    });
  }
  if (!res.ok) {
    const retryable = res.status === 408 || res.status === 409 || res.status === 429 || res.status >= 500;
    const kind =
      res.status === 429
        ? 'rate-limited'
        : res.status >= 500
          ? 'server'
          : res.status === 401 || res.status === 403
            ? 'auth'
            : 'http';
    throw new JudgeTransportError(kind, `HTTP ${res.status}: ${text.slice(0, 200)}`, {
      status: res.status,
      retryable,
      retryAfterMs: retryAfter(res),
    });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new JudgeTransportError('malformed-response', `response is not JSON: ${text.slice(0, 120)}`, {
      status: res.status,
      retryable: true,
    });
  }
}

function usageOf(input: number, output: number): TokenUsage {
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    prompt_tokens: input,
    completion_tokens: output,
  };
}

/**
 * A small fetch-based `ChatModel` speaking OpenAI chat-completions or Anthropic messages. It makes one
 * attempt per call (the judge retries); the inference layer's `createChatModel` can be passed instead.
 */
export function createFetchChatModel(settings: FetchChatModelSettings): ChatModel {
  const timeoutMs = settings.timeoutMs ?? 60_000;
  const base = settings.baseURL.replace(/\/+$/, '');
  return {
    provider: settings.provider,
    model: settings.model,
    baseURL: base,
    async complete(request: ChatRequest): Promise<ChatResult> {
      const started = new Date();
      const isAnthropic = settings.api === 'anthropic-messages';
      const body = isAnthropic ? anthropicBody(settings.model, request) : openaiBody(settings.model, request);
      const headers: Record<string, string> = isAnthropic
        ? { 'anthropic-version': '2023-06-01', ...(settings.apiKey ? { 'x-api-key': settings.apiKey } : {}) }
        : settings.apiKey
          ? { authorization: `Bearer ${settings.apiKey}` }
          : {};
      const url = isAnthropic ? `${base.replace(/\/v1$/, '')}/v1/messages` : `${base}/chat/completions`;
      const json = await post(url, headers, body, request.timeoutMs ?? timeoutMs, request.signal);
      const parsed = isAnthropic ? fromAnthropic(json) : fromOpenai(json);
      const completed = new Date();
      const p = settings.price;
      const costUsd = p
        ? (parsed.usage.prompt_tokens * p.input + parsed.usage.completion_tokens * p.output) / 1e6
        : null;
      const message: ChatMessage = {
        role: 'assistant',
        content: parsed.text,
        ...(parsed.toolCalls.length ? { tool_calls: parsed.toolCalls } : {}),
      };
      return {
        message,
        text: parsed.text,
        toolCalls: parsed.toolCalls,
        finishReason: parsed.toolCalls.length ? 'tool-calls' : 'stop',
        rawFinishReason: parsed.finish,
        usage: { ...parsed.usage, ...(costUsd === null ? {} : { cost_usd: costUsd }) },
        costUsd,
        latencyMs: completed.getTime() - started.getTime(),
        attempts: 1,
        warnings: [],
        record: {
          call_id: randomUUID(),
          api_type: isAnthropic ? 'messages' : 'chat_completions',
          provider: settings.provider,
          model_name: settings.model,
          started_at: started.toISOString(),
          completed_at: completed.toISOString(),
          latency_ms: completed.getTime() - started.getTime(),
          request_params: { temperature: request.temperature ?? null, max_tokens: request.maxTokens ?? null },
          input_messages: request.messages,
          output_messages: [message],
          output_text: parsed.text,
          output_tool_calls: parsed.toolCalls.map((c, index) => ({
            name: c.function.name,
            arguments_json: c.function.arguments,
            call_id: c.id,
            index,
          })),
          usage: parsed.usage,
          finish_reason: parsed.finish,
          error: null,
          metadata: request.metadata ?? {},
        },
      };
    },
  };
}

function openaiBody(model: string, r: ChatRequest): JsonObject {
  const body: Record<string, unknown> = { model, messages: r.messages };
  if (r.temperature !== undefined) body.temperature = r.temperature;
  if (r.maxTokens !== undefined) body.max_tokens = r.maxTokens;
  if (r.tools?.length) body.tools = r.tools;
  if (r.toolChoice)
    body.tool_choice =
      typeof r.toolChoice === 'string'
        ? r.toolChoice
        : { type: 'function', function: { name: r.toolChoice.name } };
  const f = r.responseFormat;
  if (f?.type === 'json_schema')
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: f.name, schema: f.schema, strict: f.strict ?? true },
    };
  else if (f?.type === 'json_object') body.response_format = { type: 'json_object' };
  return body as JsonObject;
}

function anthropicBody(model: string, r: ChatRequest): JsonObject {
  const system = r.messages
    .filter((m) => m.role === 'system')
    .map((m) => (typeof m.content === 'string' ? m.content : ''))
    .join('\n\n');
  const messages = r.messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({
      role: m.role === 'assistant' ? 'assistant' : 'user',
      content:
        typeof m.content === 'string'
          ? m.content
          : (m.content ?? []).map((p) =>
              p.type === 'text'
                ? { type: 'text', text: p.text }
                : { type: 'image', source: { type: 'url', url: p.image_url.url } },
            ),
    }));
  const body: Record<string, unknown> = { model, max_tokens: r.maxTokens ?? 2048, system, messages };
  if (r.temperature !== undefined) body.temperature = r.temperature;
  if (r.tools?.length)
    body.tools = r.tools.map((t) => ({
      name: t.function.name,
      description: t.function.description,
      input_schema: t.function.parameters,
    }));
  if (r.toolChoice && typeof r.toolChoice === 'object')
    body.tool_choice = { type: 'tool', name: r.toolChoice.name };
  return body as JsonObject;
}

interface Parsed {
  text: string | null;
  toolCalls: ChatToolCall[];
  usage: TokenUsage;
  finish: string | null;
}

function fromOpenai(json: Record<string, unknown>): Parsed {
  const choice = (
    json.choices as
      | { message?: { content?: string | null; tool_calls?: ChatToolCall[] }; finish_reason?: string }[]
      | undefined
  )?.[0];
  if (!choice?.message)
    throw new JudgeTransportError('malformed-response', 'response has no choices[0].message', {
      retryable: true,
    });
  const u = (json.usage ?? {}) as { prompt_tokens?: number; completion_tokens?: number };
  return {
    text: choice.message.content ?? null,
    toolCalls: choice.message.tool_calls ?? [],
    usage: usageOf(u.prompt_tokens ?? 0, u.completion_tokens ?? 0),
    finish: choice.finish_reason ?? null,
  };
}

function fromAnthropic(json: Record<string, unknown>): Parsed {
  const content = json.content as
    | { type: string; text?: string; id?: string; name?: string; input?: unknown }[]
    | undefined;
  if (!Array.isArray(content))
    throw new JudgeTransportError('malformed-response', 'response has no content array', { retryable: true });
  const text =
    content
      .filter((c) => c.type === 'text')
      .map((c) => c.text ?? '')
      .join('') || null;
  const toolCalls: ChatToolCall[] = content
    .filter((c) => c.type === 'tool_use')
    .map((c) => ({
      id: c.id ?? randomUUID(),
      type: 'function',
      function: { name: c.name ?? '', arguments: JSON.stringify(c.input ?? {}) },
    }));
  const u = (json.usage ?? {}) as { input_tokens?: number; output_tokens?: number };
  return {
    text,
    toolCalls,
    usage: usageOf(u.input_tokens ?? 0, u.output_tokens ?? 0),
    finish: (json.stop_reason as string) ?? null,
  };
}
