/**
 * The Anthropic messages adapter over `@anthropic-ai/sdk`, SDK retries off.
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ChatToolCall } from '../tracing/types.ts';
import { count, makeUsage, type ParsedAnswer, type ProviderAdapter } from './adapter.ts';
import { toAnthropicMessages } from './anthropic-convert.ts';
import { ProviderResponseError } from './errors.ts';
import type { ChatRequest } from './types.ts';

/** Anthropic requires an output cap; used when the request sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Builds the messages body from a provider-neutral request. */
export function buildAnthropicBody(
  model: string,
  request: ChatRequest,
): { body: Record<string, unknown>; warnings: string[] } {
  const { system, messages, warnings } = toAnthropicMessages(request.messages);
  const body: Record<string, unknown> = {
    model,
    max_tokens: request.maxCompletionTokens ?? request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system !== undefined) body.system = system;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop?.length) body.stop_sequences = request.stop;
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => {
      const tool: Record<string, unknown> = { name: t.function.name, input_schema: t.function.parameters };
      if (t.function.description) tool.description = t.function.description;
      return tool;
    });
    const choice = request.toolChoice;
    let mapped: Record<string, unknown> | undefined;
    if (choice === 'auto') mapped = { type: 'auto' };
    else if (choice === 'required') mapped = { type: 'any' };
    else if (choice === 'none') mapped = { type: 'none' };
    else if (choice) mapped = { type: 'tool', name: choice.name };
    if (request.parallelToolCalls === false)
      mapped = { ...(mapped ?? { type: 'auto' }), disable_parallel_tool_use: true };
    if (mapped) body.tool_choice = mapped;
  }
  const output: Record<string, unknown> = {};
  const format = request.responseFormat;
  if (format?.type === 'json_schema') output.format = { type: 'json_schema', schema: format.schema };
  else if (format?.type === 'json_object')
    warnings.push('json_object response format is not supported by Anthropic; use json_schema');
  if (request.reasoningEffort)
    output.effort = request.reasoningEffort === 'minimal' ? 'low' : request.reasoningEffort;
  if (Object.keys(output).length) body.output_config = output;
  if (request.thinkingBudgetTokens !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: request.thinkingBudgetTokens };
  }
  if (request.seed !== undefined) warnings.push('seed ignored: Anthropic does not support it');
  if (request.extraBody) Object.assign(body, request.extraBody);
  return { body, warnings };
}

interface WireBlock {
  type?: string;
  text?: unknown;
  id?: unknown;
  name?: unknown;
  input?: unknown;
}

/** Normalises a messages response body into OpenAI chat form. */
export function parseAnthropicResponse(raw: unknown): ParsedAnswer {
  const content = (raw as { content?: unknown } | null)?.content;
  if (!Array.isArray(content)) {
    const preview = typeof raw === 'string' ? raw.slice(0, 120) : JSON.stringify(raw)?.slice(0, 120);
    throw new ProviderResponseError(`response has no content array (got ${preview})`, {
      hint: 'the server does not speak the Anthropic messages format at this URL',
    });
  }
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const block of content as WireBlock[]) {
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    if (block.type === 'tool_use') {
      toolCalls.push({
        id: typeof block.id === 'string' ? block.id : `toolu_${toolCalls.length}`,
        type: 'function',
        function: { name: String(block.name ?? ''), arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const text = texts.length ? texts.join('') : null;
  const message: ChatMessage = { role: 'assistant', content: text };
  if (toolCalls.length) message.tool_calls = toolCalls;
  const u = ((raw as { usage?: Record<string, unknown> }).usage ?? {}) as Record<string, unknown>;
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  const details = u.output_tokens_details as Record<string, unknown> | null | undefined;
  // Anthropic's input_tokens exclude cache reads and writes; prompt_tokens count them, as OpenAI's do.
  const usage = makeUsage(count(u.input_tokens) + cacheRead + cacheWrite, count(u.output_tokens), {
    cached: cacheRead,
    reasoning: details ? count(details.thinking_tokens) : undefined,
  });
  const stop = (raw as { stop_reason?: unknown }).stop_reason;
  return {
    message,
    text,
    toolCalls,
    rawFinishReason: typeof stop === 'string' ? stop : null,
    usage,
    cacheWriteTokens: cacheWrite,
  };
}

/** An adapter over the official Anthropic SDK. */
export function createAnthropicAdapter(config: {
  baseURL: string;
  apiKey: string | undefined;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}): ProviderAdapter {
  const client = new Anthropic({
    baseURL: config.baseURL,
    apiKey: config.apiKey ?? 'no-key',
    maxRetries: 0,
    defaultHeaders: config.headers,
    fetch: config.fetch,
  });
  return {
    apiType: 'messages',
    buildBody: buildAnthropicBody,
    send: (body, { signal, timeoutMs }) =>
      client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        signal,
        timeout: timeoutMs,
        maxRetries: 0,
      }),
    parse: parseAnthropicResponse,
  };
}
