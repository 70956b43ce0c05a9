/**
 * Provider errors, by who must act: a bad key or a bad request is never retried; transient failures
 * (429, 5xx, resets, timeouts) are retried and, when every attempt failed, end in `RetriesExhaustedError`.
 * Messages are scrubbed of keys before they are built.
 * @module
 */
import { SynthError } from '../errors.ts';
import type { LLMCallRecord } from '../tracing/types.ts';

/** What went wrong, as a short kebab-case tag (also the record's `error.type`). */
export type InferenceErrorKind =
  | 'auth'
  | 'bad-request'
  | 'rate-limited'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'malformed-response'
  | 'aborted'
  | 'retries-exhausted'
  | 'http';

/** Base class of every provider error. `record` is the failed call's record when one was made. */
export class InferenceError extends SynthError {
  readonly kind: InferenceErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** Delay the server asked for (ms), from `retry-after-ms` / `retry-after`. */
  readonly retryAfterMs: number | undefined;
  record: LLMCallRecord | undefined;

  constructor(
    kind: InferenceErrorKind,
    message: string,
    options: { status?: number; retryable?: boolean; retryAfterMs?: number; hint?: string } = {},
  ) {
    super(message, { hint: options.hint });
    this.name = 'InferenceError';
    this.kind = kind;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 401/403: the key is wrong or lacks access. Never retried. */
export class ProviderAuthError extends InferenceError {
  constructor(message: string, options: { status?: number; hint?: string } = {}) {
    super('auth', message, options);
    this.name = 'ProviderAuthError';
  }
}

/** 400/404/422: the provider rejected the request itself. Never retried. */
export class ProviderBadRequestError extends InferenceError {
  constructor(message: string, options: { status?: number; hint?: string } = {}) {
    super('bad-request', message, options);
    this.name = 'ProviderBadRequestError';
  }
}

/** The answer came back but is not a valid response body (truncated, not JSON, wrong shape). */
export class ProviderResponseError extends InferenceError {
  constructor(message: string, options: { status?: number; hint?: string } = {}) {
    super('malformed-response', message, options);
    this.name = 'ProviderResponseError';
  }
}

/** The call took longer than its timeout. Retryable. */
export class ProviderTimeoutError extends InferenceError {
  constructor(message: string) {
    super('timeout', message, { retryable: true });
    this.name = 'ProviderTimeoutError';
  }
}

/** Every attempt failed with a retryable error; `errors` holds each attempt's error, in order. */
export class RetriesExhaustedError extends InferenceError {
  readonly errors: InferenceError[];

  constructor(errors: InferenceError[]) {
    const last = errors[errors.length - 1];
    super(
      'retries-exhausted',
      `LLM call failed after ${errors.length} attempts: ${errors.map((e, i) => `#${i + 1} ${e.message}`).join('; ')}`,
      {
        status: last?.status,
        hint: 'the provider is overloaded or unreachable; lower concurrency or rpm, or raise max_retries',
      },
    );
    this.name = 'RetriesExhaustedError';
    this.errors = errors;
  }
}
