/**
 * The client's HTTP layer: one JSON request with a per-attempt timeout, retried with exponential backoff
 * on connection errors and 5xx answers, never on 4xx and never on a timeout (a slow rollout run twice
 * would cost twice). A caller's abort signal reaches each attempt's fetch; once it fires the call rejects
 * with the signal's reason and no further attempt is made.
 * @module
 */
import { SynthError } from '../errors.ts';
import { answeredError, TaskAppHttpError } from './http-error.ts';

/** Settings of the transport. */
export interface JsonTransportOptions {
  baseUrl: string;
  apiKey?: string;
  fetch: typeof fetch;
  /** Per attempt; null for none (the caller bounds the call with its own signal). */
  timeoutMs: number | null;
  retries: number;
  backoffMs: number;
}

/** Sends one request and returns its parsed JSON answer. */
export type JsonTransport = (
  method: string,
  path: string,
  body?: string,
  signal?: AbortSignal,
) => Promise<unknown>;

/** Marks failures worth another attempt. */
class RetryableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'RetryableError';
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function parseJson(text: string): unknown {
  try {
    return text.length > 0 ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Builds the transport. The key goes out as both `X-API-Key` and `Authorization: Bearer`. */
export function createJsonTransport(options: JsonTransportOptions): JsonTransport {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey) {
    headers['x-api-key'] = options.apiKey;
    headers.authorization = `Bearer ${options.apiKey}`;
  }

  async function attempt(
    method: string,
    path: string,
    body: string | undefined,
    caller: AbortSignal | undefined,
  ): Promise<unknown> {
    const url = `${options.baseUrl}${path}`;
    const limit = options.timeoutMs === null ? [] : [AbortSignal.timeout(options.timeoutMs)];
    const signals = caller ? [...limit, caller] : limit;
    let response: Response;
    try {
      response = await options.fetch(url, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body,
        // A lone signal goes as it is: AbortSignal.any allocates and links a new one on every call.
        signal: signals.length < 2 ? signals[0] : AbortSignal.any(signals),
      });
    } catch (cause) {
      if (caller?.aborted) throw caller.reason;
      if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
        throw new TaskAppHttpError(
          504,
          'timeout',
          `${method} ${url} timed out after ${options.timeoutMs} ms`,
          {
            hint: 'raise the client timeout',
            cause,
          },
        );
      }
      throw new RetryableError(`cannot reach task app at ${url}: ${(cause as Error).message}`, cause);
    }
    const text = await response.text();
    const json = parseJson(text);
    if (response.ok) {
      if (json === null)
        throw new SynthError(`${method} ${url} answered ${response.status} with no JSON body`);
      return json;
    }
    const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
    const message =
      typeof error?.message === 'string' ? error.message : text.slice(0, 200) || response.statusText;
    const failure = answeredError(method, path, response.status, code, message);
    if (response.status >= 500) throw new RetryableError(failure.message, failure);
    throw failure;
  }

  return async function call(method, path, body, signal) {
    for (let attemptIndex = 0; ; attemptIndex++) {
      signal?.throwIfAborted();
      try {
        return await attempt(method, path, body, signal);
      } catch (error) {
        // Also covers an abort while the body was being read, which the fetch call itself did not see.
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof RetryableError)) throw error;
        if (attemptIndex >= options.retries) {
          throw error.cause instanceof TaskAppHttpError
            ? error.cause
            : new SynthError(error.message, {
                hint: 'check that the task app is running and the URL is right',
                cause: error.cause,
              });
        }
        await sleep(options.backoffMs * 2 ** attemptIndex, signal);
      }
    }
  };
}
