/**
 * What a provider adapter does: build the wire body from a `ChatRequest`, send it with the SDK, and
 * normalise the answer. `createChatModel` adds retries, limits, cost and records around it.
 * @module
 */
import type { ChatMessage, ChatToolCall, TokenUsage } from '../tracing/types.ts';
import type { ChatRequest } from './types.ts';

/** The normalised parts of one provider answer. */
export interface ParsedAnswer {
  message: ChatMessage;
  text: string | null;
  toolCalls: ChatToolCall[];
  rawFinishReason: string | null;
  usage: TokenUsage;
  /** Anthropic cache-write tokens (priced differently); 0 elsewhere. */
  cacheWriteTokens: number;
}

/** One provider's wire format. */
export interface ProviderAdapter {
  readonly apiType: 'chat_completions' | 'messages';
  /** The body to send; unsupported settings become warnings instead of errors. */
  buildBody(model: string, request: ChatRequest): { body: Record<string, unknown>; warnings: string[] };
  /** Sends one attempt; rejects with the SDK's error. */
  send(body: Record<string, unknown>, options: { signal?: AbortSignal; timeoutMs: number }): Promise<unknown>;
  /** Normalises a response body; throws `ProviderResponseError` when it has the wrong shape. */
  parse(raw: unknown): ParsedAnswer;
}

/** A usage object with both naming schemes filled from prompt/completion counts. */
export function makeUsage(
  prompt: number,
  completion: number,
  extra: { reasoning?: number; cached?: number } = {},
): TokenUsage {
  const usage: TokenUsage = {
    input_tokens: prompt,
    output_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens: prompt,
    completion_tokens: completion,
  };
  if (extra.reasoning !== undefined) usage.reasoning_tokens = extra.reasoning;
  if (extra.cached !== undefined) usage.cached_tokens = extra.cached;
  return usage;
}

/** A non-negative integer or 0, for token fields that servers may omit or null. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
