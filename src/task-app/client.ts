/**
 * A typed client for any task app speaking the HTTP contract (ours or synth-ai's). Requests and answers
 * are validated with the same zod schemas the server uses. Connection errors and 5xx answers are retried
 * with exponential backoff; 4xx answers never are, and neither is a timeout (a slow rollout run twice
 * would cost twice). Every call takes an optional abort signal: an aborted call rejects with the signal's
 * reason at once and is not retried.
 * @module
 */
import type { z } from 'zod';
import { SynthError } from '../errors.ts';
import { httpFetch } from '../inference/http-fetch.ts';
import { createJsonTransport } from './client-transport.ts';
import { formatIssues } from './http-error.ts';
import {
  type HealthResponse,
  HealthResponseSchema,
  type Info,
  InfoSchema,
  type TaskInfo,
  TaskInfoSchema,
  type TasksetResponse,
  TasksetResponseSchema,
} from './info-contract.ts';
import {
  type RolloutRequest,
  type RolloutRequestInput,
  RolloutRequestSchema,
  type RolloutResponse,
  RolloutResponseSchema,
} from './rollout-contract.ts';

/** Client settings. */
export interface TaskAppClientOptions {
  /** The task app's base URL (`http://127.0.0.1:8001`). */
  baseUrl: string;
  apiKey?: string;
  /**
   * Per attempt; null for none (the caller bounds each call with its own signal).
   * @default 600_000 (rollouts with LLM policies can be slow)
   */
  timeoutMs?: number | null;
  /** Extra attempts after the first, for connection errors and 5xx. @default 3 */
  retries?: number;
  /** First backoff delay; doubles each retry. @default 250 */
  backoffMs?: number;
  /**
   * @default httpFetch (undici over a keep-alive agent): rollout answers carry whole traces, and it reads
   * them for a fraction of global fetch's CPU.
   */
  fetch?: typeof fetch;
}

/** Per-call settings. */
export interface TaskAppCallOptions {
  /** Aborts the call (every attempt); it then rejects with the signal's reason and is not retried. */
  signal?: AbortSignal;
}

/** The task app client. */
export interface TaskAppClient {
  readonly baseUrl: string;
  health(options?: TaskAppCallOptions): Promise<HealthResponse>;
  info(options?: TaskAppCallOptions): Promise<Info>;
  /** No seeds: the taskset description. Seeds: one TaskInfo per seed, in order. */
  taskInfo(options?: TaskAppCallOptions): Promise<TasksetResponse>;
  taskInfo(seeds: readonly number[], options?: TaskAppCallOptions): Promise<TaskInfo[]>;
  /**
   * Validates the request, then sends it as written (the server applies the defaults). The answer is
   * validated loosely: fields a newer app adds are kept.
   */
  rollout(request: RolloutRequestInput, options?: TaskAppCallOptions): Promise<RolloutResponse>;
}

function parseAnswer<T>(schema: z.ZodType<T>, body: unknown, what: string, url: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new SynthError(
    `task app at ${url} answered ${what} with an invalid shape: ${formatIssues(parsed.error.issues)}`,
    {
      hint: 'check that the URL points at a task app of a compatible version',
    },
  );
}

/** The request with the contract's defaults applied; a SynthError naming the bad fields otherwise. */
export function checkRolloutInput(request: RolloutRequestInput): RolloutRequest {
  const checked = RolloutRequestSchema.safeParse(request);
  if (!checked.success) {
    throw new SynthError(`rollout request is invalid: ${formatIssues(checked.error.issues)}`);
  }
  return checked.data;
}

/**
 * Creates a task app client. It sends the key as both `X-API-Key` and `Authorization: Bearer`.
 * @example const client = createTaskAppClient({ baseUrl: server.url, apiKey: process.env.ENVIRONMENT_API_KEY });
 */
export function createTaskAppClient(options: TaskAppClientOptions): TaskAppClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const call = createJsonTransport({
    baseUrl,
    apiKey: options.apiKey,
    fetch: options.fetch ?? httpFetch,
    timeoutMs: options.timeoutMs === undefined ? 600_000 : options.timeoutMs,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 250,
  });

  async function taskInfo(
    first?: readonly number[] | TaskAppCallOptions,
    second?: TaskAppCallOptions,
  ): Promise<TasksetResponse | TaskInfo[]> {
    const seeds = Array.isArray(first) ? (first as readonly number[]) : undefined;
    const signal = (Array.isArray(first) ? second : (first as TaskAppCallOptions | undefined))?.signal;
    if (!seeds || seeds.length === 0) {
      const body = await call('GET', '/task_info', undefined, signal);
      return parseAnswer(TasksetResponseSchema, body, 'GET /task_info', baseUrl);
    }
    const query = seeds.map((seed) => `seed=${encodeURIComponent(String(seed))}`).join('&');
    const body = await call('GET', `/task_info?${query}`, undefined, signal);
    const list = Array.isArray(body) ? body : [body];
    return list.map((item) => parseAnswer(TaskInfoSchema, item, 'GET /task_info', baseUrl));
  }

  return {
    baseUrl,
    async health(callOptions) {
      const body = await call('GET', '/health', undefined, callOptions?.signal);
      return parseAnswer(HealthResponseSchema, body, 'GET /health', baseUrl);
    },
    async info(callOptions) {
      const body = await call('GET', '/info', undefined, callOptions?.signal);
      return parseAnswer(InfoSchema, body, 'GET /info', baseUrl);
    },
    taskInfo: taskInfo as TaskAppClient['taskInfo'],
    async rollout(request, callOptions) {
      callOptions?.signal?.throwIfAborted();
      checkRolloutInput(request);
      // The caller's body, not the parsed one: defaults stay the server's to apply, the wire stays small.
      const body = await call('POST', '/rollout', JSON.stringify(request), callOptions?.signal);
      return parseAnswer(RolloutResponseSchema, body, 'POST /rollout', baseUrl);
    },
  };
}
