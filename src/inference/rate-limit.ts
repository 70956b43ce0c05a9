/**
 * Client-side limits per provider+model: a concurrency cap (p-limit), requests per minute and tokens per
 * minute. Policies are built per rollout, so limiters live in a shared registry keyed by provider, base
 * URL and model: every rollout of one eval draws from the same budget.
 * @module
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { abortableSleep } from './retry.ts';

/** Limits for one provider+model. Unset means unlimited. */
export interface RateLimitOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /**
   * Fraction of the rpm kept in reserve so that network jitter never pushes a request into a server's
   * previous window. @default 0.02
   */
  safetyMargin?: number;
}

/** Admission control for one provider+model. */
export interface RateLimiter {
  /** Runs `fn` once a concurrency slot, a request slot and `estimatedTokens` of token budget are free. */
  run<T>(estimatedTokens: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Corrects the token budget once the real usage is known (positive = more were used). */
  adjustTokens(delta: number): void;
  readonly options: Readonly<RateLimitOptions>;
}

/**
 * Requests are spaced evenly at 60 s / rpm (a bucket of depth 1): any 60-second window then holds at
 * most rpm requests, which is what a sliding-window server enforces; a deeper bucket would burst past it.
 * Tokens use a bucket of depth tpm refilled continuously, the way providers describe their TPM limits.
 */
export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const limit: LimitFunction | undefined =
    options.concurrency && options.concurrency > 0 ? pLimit(options.concurrency) : undefined;
  const margin = options.safetyMargin ?? 0.02;
  const spacingMs = options.requestsPerMinute ? (60_000 / options.requestsPerMinute) * (1 + margin) : 0;
  let nextSlot = 0;
  const tpm = options.tokensPerMinute ?? 0;
  let tokens = tpm;
  let refilledAt = performance.now();

  const refill = () => {
    const now = performance.now();
    tokens = Math.min(tpm, tokens + ((now - refilledAt) * tpm) / 60_000);
    refilledAt = now;
  };

  async function admit(estimatedTokens: number, signal?: AbortSignal): Promise<void> {
    if (spacingMs > 0) {
      // Reserve the slot synchronously so concurrent callers queue in order.
      const now = performance.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + spacingMs;
      if (slot > now) await abortableSleep(slot - now, signal);
    }
    if (tpm > 0) {
      const need = Math.min(estimatedTokens, tpm);
      for (;;) {
        refill();
        if (tokens >= need) break;
        await abortableSleep(Math.ceil(((need - tokens) * 60_000) / tpm), signal);
      }
      tokens -= need;
    }
  }

  return {
    options,
    async run(estimatedTokens, fn, signal) {
      const task = async () => {
        await admit(estimatedTokens, signal);
        return fn();
      };
      return limit ? limit(task) : task();
    },
    adjustTokens(delta) {
      if (tpm > 0) tokens = Math.min(tpm, tokens - delta);
    },
  };
}

const registry = new Map<string, RateLimiter>();

/**
 * The shared limiter for `key` (provider|baseURL|model). The first caller's limits are kept unless a
 * later caller passes different ones, which then replace them for calls that start afterwards.
 */
export function sharedRateLimiter(key: string, options: RateLimitOptions): RateLimiter {
  const existing = registry.get(key);
  if (existing && sameLimits(existing.options, options)) return existing;
  const created = createRateLimiter(options);
  registry.set(key, created);
  return created;
}

function sameLimits(a: RateLimitOptions, b: RateLimitOptions): boolean {
  return (
    a.concurrency === b.concurrency &&
    a.requestsPerMinute === b.requestsPerMinute &&
    a.tokensPerMinute === b.tokensPerMinute &&
    a.safetyMargin === b.safetyMargin
  );
}

/** Forgets every shared limiter (tests). */
export function clearSharedRateLimiters(): void {
  registry.clear();
}
