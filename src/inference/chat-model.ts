/**
 * `createChatModel`: one interface over every provider, with retries, a per-call timeout, shared
 * rate limits, usage, cost and a call record for each call (success or failure).
 * @module
 */
import type { JsonValue, LLMCallRecord } from '../tracing/types.ts';
import type { ProviderAdapter } from './adapter.ts';
import { createAnthropicAdapter } from './anthropic-messages.ts';
import { type InferenceError, ProviderResponseError } from './errors.ts';
import { mapFinishReason } from './finish-reason.ts';
import { mapProviderError } from './map-error.ts';
import { createOpenAIChatAdapter } from './openai-chat.ts';
import { computeCostUsd, createPriceTable, findModelPrice, type PriceTable } from './pricing.ts';
import { type ProviderOptions, resolveProvider } from './providers.ts';
import {
  createRateLimiter,
  type RateLimiter,
  type RateLimitOptions,
  sharedRateLimiter,
} from './rate-limit.ts';
import { buildCallRecord } from './record.ts';
import { type RetryOptions, withRetries } from './retry.ts';
import type { ChatModel, ChatRequest, ChatResult } from './types.ts';

/** Everything `createChatModel` takes. Provider choice: see `resolveProvider`. */
export interface ChatModelOptions extends ProviderOptions, RateLimitOptions, Omit<RetryOptions, 'sleep'> {
  /** Per-attempt timeout. @default 60000 */
  timeoutMs?: number;
  /** Extra or overriding prices (USD per 1M tokens), on top of `DEFAULT_PRICES`. */
  prices?: PriceTable;
  /** Request settings applied to every call unless the call sets them. */
  defaults?: Partial<Omit<ChatRequest, 'messages' | 'signal'>>;
  /** Extra HTTP headers for every request. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** A limiter to use instead of the shared one for this provider+model. */
  limiter?: RateLimiter;
  /** Called with the record of every call, failed ones included. */
  onCall?: (record: LLMCallRecord) => void;
}

/** ~4 characters per token: good enough for admission control before the real count is known. */
function estimateTokens(request: ChatRequest): number {
  let chars = 0;
  for (const m of request.messages)
    chars += typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content ?? '').length;
  return Math.ceil(chars / 4) + (request.maxCompletionTokens ?? request.maxTokens ?? 512);
}

/**
 * Builds a chat model. Bad options (no model, a missing key) fail here, as one `UsageError`.
 * @example
 * const model = createChatModel({ model: 'groq:llama-3.3-70b-versatile', requestsPerMinute: 30 });
 * const result = await model.complete({ messages: [{ role: 'user', content: 'hi' }] });
 */
export function createChatModel(options: ChatModelOptions): ChatModel {
  const resolved = resolveProvider(options);
  const { provider, model, baseURL, apiKey, apiKeyEnv } = resolved;
  const secrets = [apiKey];
  const clientConfig = { provider, baseURL, apiKey, headers: options.headers, fetch: options.fetch };
  const adapter: ProviderAdapter =
    resolved.api === 'anthropic-messages'
      ? createAnthropicAdapter(clientConfig)
      : createOpenAIChatAdapter(clientConfig);
  const limits: RateLimitOptions = {
    concurrency: options.concurrency,
    requestsPerMinute: options.requestsPerMinute,
    tokensPerMinute: options.tokensPerMinute,
    safetyMargin: options.safetyMargin,
  };
  const limited = limits.concurrency || limits.requestsPerMinute || limits.tokensPerMinute;
  const limiter =
    options.limiter ??
    (limited ? sharedRateLimiter(`${provider}|${baseURL}|${model}`, limits) : createRateLimiter());
  const price = findModelPrice(createPriceTable(options.prices), provider, model);
  const timeoutDefault = options.timeoutMs ?? 60_000;
  const errorContext = { provider, model, apiKeyEnv, secrets };

  async function complete(call: ChatRequest): Promise<ChatResult> {
    const request: ChatRequest = { ...options.defaults, ...call };
    const { body, warnings } = adapter.buildBody(model, request);
    const estimated = estimateTokens(request);
    const startedAt = Date.now();
    const t0 = performance.now();
    const timeoutMs = request.timeoutMs ?? timeoutDefault;
    const base = { apiType: adapter.apiType, provider, model, request, startedAt, secrets };
    let attempts = 0;
    try {
      const { value: raw } = await withRetries(
        (n) => {
          attempts = n;
          return limiter.run(
            estimated,
            () => adapter.send(body, { signal: request.signal, timeoutMs }),
            request.signal,
          );
        },
        { ...options, signal: request.signal, toError: (e) => mapProviderError(e, errorContext) },
      );
      const answer = adapter.parse(raw);
      limiter.adjustTokens(answer.usage.total_tokens - estimated);
      const costUsd = price ? computeCostUsd(price, answer.usage, answer.cacheWriteTokens) : null;
      if (costUsd !== null) answer.usage.cost_usd = costUsd;
      const finishReason = mapFinishReason(answer.rawFinishReason, answer.toolCalls.length > 0);
      let parsed: JsonValue | undefined;
      const format = request.responseFormat?.type;
      if ((format === 'json_schema' || format === 'json_object') && answer.text !== null) {
        try {
          parsed = JSON.parse(answer.text) as JsonValue;
        } catch {
          warnings.push('structured output asked for, but the answer text is not valid JSON');
        }
      }
      const latencyMs = performance.now() - t0;
      const record = buildCallRecord({
        ...base,
        latencyMs,
        output: answer.message,
        usage: answer.usage,
        finishReason,
        metadata: {
          attempts,
          raw_finish_reason: answer.rawFinishReason,
          base_url: baseURL,
          ...(warnings.length ? { warnings } : {}),
          ...(costUsd === null ? { unpriced_model: true } : {}),
        },
      });
      options.onCall?.(record);
      const result: ChatResult = {
        message: answer.message,
        text: answer.text,
        toolCalls: answer.toolCalls,
        finishReason,
        rawFinishReason: answer.rawFinishReason,
        usage: answer.usage,
        costUsd,
        latencyMs,
        attempts,
        warnings,
        record,
      };
      if (parsed !== undefined) result.parsed = parsed;
      return result;
    } catch (raw) {
      const error: InferenceError =
        raw instanceof ProviderResponseError ? raw : mapProviderError(raw, errorContext);
      error.record = buildCallRecord({
        ...base,
        latencyMs: performance.now() - t0,
        error,
        metadata: { attempts, base_url: baseURL },
      });
      options.onCall?.(error.record);
      throw error;
    }
  }

  return { provider, model, baseURL, complete };
}
