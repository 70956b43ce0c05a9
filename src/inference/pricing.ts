/**
 * Prices in USD per 1M tokens, as data. Users extend or override entries (config `[prices]` or the
 * `prices` option); a model not found is simply unpriced (cost null), never guessed.
 * Figures are the providers' published list prices at the time of writing; check them for billing.
 * @module
 */
import type { TokenUsage } from '../tracing/types.ts';

/** USD per 1M tokens. `cachedInput` prices cache reads; `cacheWrite` prices Anthropic cache writes. */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
}

/** Keys are a model name (`gpt-4o-mini`) or `provider:model` (`groq:llama-3.1-8b-instant`). */
export type PriceTable = Record<string, ModelPrice>;

/** Built-in list prices. Dated model names match their base entry (`gpt-4o-2024-08-06` → `gpt-4o`). */
export const DEFAULT_PRICES: Readonly<PriceTable> = Object.freeze({
  // OpenAI
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  o1: { input: 15, output: 60, cachedInput: 7.5 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o3-mini': { input: 1.1, output: 4.4, cachedInput: 0.55 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  // Groq
  'llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
  'llama-3.1-8b-instant': { input: 0.05, output: 0.08 },
  'meta-llama/llama-4-scout-17b-16e-instruct': { input: 0.11, output: 0.34 },
  'meta-llama/llama-4-maverick-17b-128e-instruct': { input: 0.2, output: 0.6 },
  'qwen/qwen3-32b': { input: 0.29, output: 0.59 },
  'groq:openai/gpt-oss-120b': { input: 0.15, output: 0.75 },
  'groq:openai/gpt-oss-20b': { input: 0.1, output: 0.5 },
  // Anthropic (cache reads 0.1x input, cache writes 1.25x input)
  'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25 },
  'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
  'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-3-5-sonnet': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1 },
  'claude-3-opus': { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
  'claude-3-haiku': { input: 0.25, output: 1.25, cachedInput: 0.03, cacheWrite: 0.3 },
});

/** The built-in table with the user's entries on top (theirs win). */
export function createPriceTable(extra: PriceTable = {}): PriceTable {
  return { ...DEFAULT_PRICES, ...extra };
}

/**
 * The price of `model` at `provider`: `provider:model` first, then `model`, then the longest key that
 * `model` starts with followed by `-` (dated snapshots), after stripping an `ft:` fine-tune wrapper.
 */
export function findModelPrice(table: PriceTable, provider: string, model: string): ModelPrice | undefined {
  const names = [model];
  const ft = /^ft:([^:]+):/.exec(model);
  if (ft?.[1]) names.push(ft[1]);
  for (const name of names) {
    const exact = table[`${provider}:${name}`] ?? table[name];
    if (exact) return exact;
    let best: string | undefined;
    for (const key of Object.keys(table)) {
      const bare = key.startsWith(`${provider}:`) ? key.slice(provider.length + 1) : key;
      if (bare.includes(':')) continue;
      if (name.startsWith(`${bare}-`) && (!best || bare.length > best.length)) best = key;
    }
    if (best) return table[best];
  }
  return undefined;
}

/**
 * Cost in USD of one call. `prompt_tokens` includes cached tokens (OpenAI's convention, which the
 * Anthropic converter follows too); `cacheWriteTokens` are part of it for Anthropic.
 */
export function computeCostUsd(price: ModelPrice, usage: TokenUsage, cacheWriteTokens = 0): number {
  const cached = usage.cached_tokens ?? 0;
  const fresh = Math.max(0, usage.prompt_tokens - cached - cacheWriteTokens);
  const usd =
    fresh * price.input +
    cached * (price.cachedInput ?? price.input) +
    cacheWriteTokens * (price.cacheWrite ?? price.input) +
    usage.completion_tokens * price.output;
  return usd / 1_000_000;
}
