/**
 * Retries with exponential backoff and jitter. A server's `retry-after` wins when it asks for 0–60 s;
 * a non-retryable error passes through on the first attempt; aborts are never retried.
 * @module
 */
import { type InferenceError, RetriesExhaustedError } from './errors.ts';

/** Backoff settings. Delay of retry n (1-based) = min(maxDelayMs, baseDelayMs·2^(n−1)) scaled by 0.5–1.0 jitter. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 4 */
  maxRetries?: number;
  /** @default 500 */
  baseDelayMs?: number;
  /** @default 20000 */
  maxDelayMs?: number;
  /** Called before each wait; useful for logs and tests. */
  onRetry?: (info: { attempt: number; delayMs: number; error: InferenceError }) => void;
  /** Injected for tests of the schedule itself; defaults to a timer that an abort ends. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The longest server-requested wait we honour; longer asks fall back to our own schedule. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The delay before retry `attempt` (1-based). */
export function backoffDelay(attempt: number, error: InferenceError, options: RetryOptions = {}): number {
  const asked = error.retryAfterMs;
  if (asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER_MS) return asked;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 20_000;
  const raw = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.round(raw * (0.5 + Math.random() * 0.5));
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error (thrown as is), or the retries run
 * out (`RetriesExhaustedError` with every attempt's error; with no retries allowed, the one error itself). `attempt` receives its 1-based number.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions & { signal?: AbortSignal; toError: (err: unknown) => InferenceError },
): Promise<{ value: T; attempts: number }> {
  const maxRetries = options.maxRetries ?? 4;
  const sleep = options.sleep ?? abortableSleep;
  const errors: InferenceError[] = [];
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (raw) {
      const error = options.toError(raw);
      // A final answer such as a bad key wins over earlier transient failures.
      if (!error.retryable || options.signal?.aborted) throw error;
      errors.push(error);
      if (n > maxRetries) throw errors.length === 1 ? error : new RetriesExhaustedError(errors);
      const delayMs = backoffDelay(n, error, options);
      options.onRetry?.({ attempt: n, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
