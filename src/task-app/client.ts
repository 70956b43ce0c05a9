/**
 * A typed client for any task app speaking the HTTP contract (ours or synth-ai's). Requests and answers
 * are validated with the same zod schemas the server uses. Connection errors and 5xx answers are retried
 * with exponential backoff; 4xx answers never are, and neither is a timeout (a slow rollout run twice
 * would cost twice).
 * @module
 */
import type { z } from 'zod';
import { SynthError } from '../errors.ts';
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
  /** Per attempt. @default 600_000 (rollouts with LLM policies can be slow) */
  timeoutMs?: number;
  /** Extra attempts after the first, for connection errors and 5xx. @default 3 */
  retries?: number;
  /** First backoff delay; doubles each retry. @default 250 */
  backoffMs?: number;
  fetch?: typeof fetch;
}

/** The task app client. */
export interface TaskAppClient {
  readonly baseUrl: string;
  health(): Promise<HealthResponse>;
  info(): Promise<Info>;
  /** No seeds: the taskset description. Seeds: one TaskInfo per seed, in order. */
  taskInfo(): Promise<TasksetResponse>;
  taskInfo(seeds: readonly number[]): Promise<TaskInfo[]>;
  rollout(request: RolloutRequestInput): Promise<RolloutResponse>;
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

/**
 * Creates a task app client. It sends the key as both `X-API-Key` and `Authorization: Bearer`.
 * @example const client = createTaskAppClient({ baseUrl: server.url, apiKey: process.env.ENVIRONMENT_API_KEY });
 */
export function createTaskAppClient(options: TaskAppClientOptions): TaskAppClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const call = createJsonTransport({
    baseUrl,
    apiKey: options.apiKey,
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs ?? 600_000,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 250,
  });

  async function taskInfo(seeds?: readonly number[]): Promise<TasksetResponse | TaskInfo[]> {
    if (!seeds || seeds.length === 0) {
      return parseAnswer(TasksetResponseSchema, await call('GET', '/task_info'), 'GET /task_info', baseUrl);
    }
    const query = seeds.map((seed) => `seed=${encodeURIComponent(String(seed))}`).join('&');
    const body = await call('GET', `/task_info?${query}`);
    const list = Array.isArray(body) ? body : [body];
    return list.map((item) => parseAnswer(TaskInfoSchema, item, 'GET /task_info', baseUrl));
  }

  return {
    baseUrl,
    async health() {
      return parseAnswer(HealthResponseSchema, await call('GET', '/health'), 'GET /health', baseUrl);
    },
    async info() {
      return parseAnswer(InfoSchema, await call('GET', '/info'), 'GET /info', baseUrl);
    },
    taskInfo: taskInfo as TaskAppClient['taskInfo'],
    async rollout(request) {
      const checked = RolloutRequestSchema.safeParse(request);
      if (!checked.success) {
        throw new SynthError(`rollout request is invalid: ${formatIssues(checked.error.issues)}`);
      }
      const body = await call('POST', '/rollout', JSON.stringify(checked.data));
      return parseAnswer(RolloutResponseSchema, body, 'POST /rollout', baseUrl);
    },
  };
}
