import { httpFetch } from '../inference/http-fetch.ts';
import { formatIssues } from '../task-app/http-error.ts';
import { RolloutResponseSchema } from '../task-app/rollout-contract.ts';
import type { JsonObject } from '../tracing/types.ts';

/**
 * The part of a task app eval calls. Kept narrow so the task-app SDK's client, a plain fetch client or a
 * test double can stand behind it.
 */
export interface EvalTaskAppClient {
  readonly baseUrl: string;
  /** POST /rollout. Rejects with an Error whose message names the status and the app's error. */
  rollout(request: JsonObject, signal?: AbortSignal): Promise<JsonObject>;
  /** GET /task_info (no seeds: the taskset; seeds: one TaskInfo per seed). */
  taskInfo(seeds?: readonly number[], signal?: AbortSignal): Promise<unknown>;
  /** GET /info, or null when the app has none. */
  info(signal?: AbortSignal): Promise<JsonObject | null>;
  /** GET /health: true when the app answers and accepts the key. */
  health(signal?: AbortSignal): Promise<boolean>;
}

/** Options of {@link createEvalTaskAppClient}. */
export interface EvalTaskAppClientOptions {
  baseUrl: string;
  /** ENVIRONMENT_API_KEY; sent as X-API-Key and Authorization: Bearer (never logged). */
  apiKey?: string | undefined;
  fetch?: typeof fetch;
}

/**
 * A fetch-based client for the task app HTTP contract (synth-ai reference §1). Retries are left to the
 * caller: a rollout is not idempotent from the app's side.
 */
export function createEvalTaskAppClient(options: EvalTaskAppClientOptions): EvalTaskAppClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  // Rollout answers carry whole traces (tens of KB): undici.request reads them for a fraction of fetch's CPU.
  const doFetch = options.fetch ?? httpFetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.apiKey) {
    headers['x-api-key'] = options.apiKey;
    headers.authorization = `Bearer ${options.apiKey}`;
  }

  async function call(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      const cause = (error as { cause?: { code?: string } }).cause;
      throw new Error(`task app unreachable at ${base} (${cause?.code ?? (error as Error).message})`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      const detail = describeError(parsed) ?? text.slice(0, 200);
      throw new Error(
        `task app answered ${response.status} on ${method} ${path}${detail ? `: ${detail}` : ''}`,
      );
    }
    if (parsed === null && text !== '')
      throw new Error(`task app sent a body that is not JSON on ${method} ${path}`);
    return parsed;
  }

  return {
    baseUrl: base,
    async rollout(request, signal) {
      const body = await call('POST', '/rollout', request, signal);
      // Validated with the contract's schema (loose: unknown keys pass), but the raw body is returned so
      // fields a newer app adds reach the trace and the report unchanged.
      const checked = RolloutResponseSchema.safeParse(body);
      if (!checked.success) {
        throw new Error(`task app sent an invalid rollout response: ${formatIssues(checked.error.issues)}`);
      }
      return body as JsonObject;
    },
    async taskInfo(seeds, signal) {
      const query = seeds && seeds.length > 0 ? `?${seeds.map((s) => `seed=${s}`).join('&')}` : '';
      return call('GET', `/task_info${query}`, undefined, signal);
    },
    async info(signal) {
      try {
        const body = await call('GET', '/info', undefined, signal);
        return typeof body === 'object' && body !== null && !Array.isArray(body)
          ? (body as JsonObject)
          : null;
      } catch {
        return null;
      }
    },
    async health(signal) {
      try {
        await call('GET', '/health', undefined, signal);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function describeError(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const error = record.error ?? record.detail ?? record.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const inner = error as Record<string, unknown>;
    if (typeof inner.message === 'string') return inner.message;
    return JSON.stringify(error).slice(0, 200);
  }
  return null;
}
