/**
 * The OpenAI chat-completions adapter, for OpenAI and every OpenAI-compatible server (Groq, vLLM,
 * Ollama, llama.cpp, Together...). Messages are already in OpenAI form, so requests pass nearly as is.
 * @module
 */
import type { ChatMessage, ChatToolCall } from '../tracing/types.ts';
import { count, makeUsage, type ProviderAdapter } from './adapter.ts';
import { ProviderResponseError } from './errors.ts';
import { createOpenAISender, type OpenAISenderConfig } from './openai-send.ts';
import type { ChatRequest } from './types.ts';

/** OpenAI reasoning models take `max_completion_tokens` and reject a custom temperature. */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}

function putDefined(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

/** Builds the chat-completions body. Exported for the interceptor and for tests. */
export function buildOpenAIChatBody(
  provider: string,
  model: string,
  request: ChatRequest,
): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const body: Record<string, unknown> = { model, messages: request.messages };
  const reasoning = provider === 'openai' && isOpenAIReasoningModel(model);
  if (request.temperature !== undefined && reasoning && request.temperature !== 1) {
    warnings.push(`temperature ${request.temperature} dropped: ${model} only accepts the default`);
  } else putDefined(body, 'temperature', request.temperature);
  if (request.topP !== undefined && reasoning) warnings.push(`top_p dropped: ${model} does not accept it`);
  else putDefined(body, 'top_p', request.topP);
  if (request.maxCompletionTokens !== undefined) body.max_completion_tokens = request.maxCompletionTokens;
  else if (request.maxTokens !== undefined)
    body[reasoning ? 'max_completion_tokens' : 'max_tokens'] = request.maxTokens;
  if (request.tools?.length) {
    body.tools = request.tools;
    const choice = request.toolChoice;
    if (choice !== undefined) {
      body.tool_choice =
        typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
    }
    putDefined(body, 'parallel_tool_calls', request.parallelToolCalls);
  } else if (
    request.toolChoice !== undefined &&
    request.toolChoice !== 'auto' &&
    request.toolChoice !== 'none'
  ) {
    warnings.push('tool_choice ignored: the request has no tools');
  }
  const format = request.responseFormat;
  if (format?.type === 'json_schema') {
    const jsonSchema: Record<string, unknown> = { name: format.name, schema: format.schema };
    putDefined(jsonSchema, 'strict', format.strict);
    putDefined(jsonSchema, 'description', format.description);
    body.response_format = { type: 'json_schema', json_schema: jsonSchema };
  } else if (format) body.response_format = { type: format.type };
  putDefined(body, 'reasoning_effort', request.reasoningEffort);
  putDefined(body, 'stop', request.stop);
  putDefined(body, 'seed', request.seed);
  if (request.thinkingBudgetTokens !== undefined)
    warnings.push('thinkingBudgetTokens ignored: not an Anthropic model');
  if (request.extraBody) Object.assign(body, request.extraBody);
  return { body, warnings };
}

interface WireToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: unknown };
}

/** Normalises a chat-completions response body. */
export function parseOpenAIChatResponse(raw: unknown): ReturnType<ProviderAdapter['parse']> {
  const choice = (raw as { choices?: unknown[] } | null)?.choices?.[0] as
    | {
        message?: { content?: unknown; tool_calls?: WireToolCall[]; refusal?: unknown };
        finish_reason?: unknown;
      }
    | undefined;
  if (!choice || typeof choice !== 'object' || !choice.message || typeof choice.message !== 'object') {
    const preview = typeof raw === 'string' ? raw.slice(0, 120) : JSON.stringify(raw)?.slice(0, 120);
    throw new ProviderResponseError(`response has no choices[0].message (got ${preview})`, {
      hint: 'the server does not speak the OpenAI chat-completions format at this URL',
    });
  }
  const wire = choice.message;
  const text = typeof wire.content === 'string' ? wire.content : null;
  const toolCalls: ChatToolCall[] = (Array.isArray(wire.tool_calls) ? wire.tool_calls : []).map(
    (call, i) => ({
      id: typeof call.id === 'string' && call.id ? call.id : `call_${i}`,
      type: 'function',
      function: {
        name: String(call.function?.name ?? ''),
        // Some local servers send arguments as an object; the record keeps a JSON string either way.
        arguments:
          typeof call.function?.arguments === 'string'
            ? call.function.arguments
            : JSON.stringify(call.function?.arguments ?? {}),
      },
    }),
  );
  const message: ChatMessage = { role: 'assistant', content: text };
  if (toolCalls.length) message.tool_calls = toolCalls;
  const u = (raw as { usage?: Record<string, unknown> }).usage ?? {};
  const details = (u.prompt_tokens_details ?? {}) as Record<string, unknown>;
  const outDetails = (u.completion_tokens_details ?? {}) as Record<string, unknown>;
  const usage = makeUsage(count(u.prompt_tokens), count(u.completion_tokens), {
    reasoning: outDetails.reasoning_tokens === undefined ? undefined : count(outDetails.reasoning_tokens),
    cached: details.cached_tokens === undefined ? undefined : count(details.cached_tokens),
  });
  if (typeof u.total_tokens === 'number') usage.total_tokens = count(u.total_tokens);
  const finish = typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
  return { message, text, toolCalls, rawFinishReason: finish, usage, cacheWriteTokens: 0 };
}

/** An adapter for the chat-completions wire format; retries are `createChatModel`'s, never the sender's. */
export function createOpenAIChatAdapter(config: OpenAISenderConfig & { provider: string }): ProviderAdapter {
  const send = createOpenAISender(config);
  return {
    apiType: 'chat_completions',
    buildBody: (model, request) => buildOpenAIChatBody(config.provider, model, request),
    send,
    parse: parseOpenAIChatResponse,
  };
}
