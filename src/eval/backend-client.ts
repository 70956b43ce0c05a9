import { SynthError, UsageError } from '../errors.ts';
import type { JsonObject } from '../tracing/types.ts';

/** Settings of the backend eval client. */
export interface EvalBackendClientOptions {
  /** `SYNTH_BASE_URL` or `--backend`; `/api` is appended when missing. */
  baseUrl: string;
  /** `SYNTH_API_KEY`, sent as `Authorization: Bearer`. */
  apiKey: string;
  /** @default 2000 */
  pollIntervalMs?: number;
  /** @default 600 */
  maxPolls?: number;
  fetch?: typeof fetch;
}

/** A backend eval job's state. */
export interface EvalJobStatus {
  job_id: string;
  status: string;
  error?: string | null;
  [key: string]: unknown;
}

/** `GET /api/eval/jobs/{id}/results`. */
export interface EvalJobResults {
  results: JsonObject[];
  summary?: JsonObject;
}

/** The backend's eval jobs API (synth-ai reference §3, later command). */
export interface EvalBackendClient {
  readonly apiBase: string;
  createJob(body: JsonObject, signal?: AbortSignal): Promise<string>;
  getJob(jobId: string, signal?: AbortSignal): Promise<EvalJobStatus>;
  getResults(jobId: string, signal?: AbortSignal): Promise<EvalJobResults>;
  /** Creates the job, polls until `completed` or `failed`, then fetches the results. */
  runJob(
    body: JsonObject,
    options?: { signal?: AbortSignal; onStatus?: (status: EvalJobStatus) => void },
  ): Promise<{ jobId: string; status: EvalJobStatus; results: EvalJobResults }>;
}

/** `http://host:8000` → `http://host:8000/api`; an URL already ending in `/api` is kept. */
export function backendApiBase(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  try {
    new URL(trimmed);
  } catch {
    throw new UsageError(`backend URL "${baseUrl}" is not a URL`, {
      hint: 'e.g. --backend http://localhost:8000',
    });
  }
  return trimmed.endsWith('/api') ? trimmed : `${trimmed}/api`;
}

const TERMINAL = new Set(['completed', 'failed', 'succeeded', 'cancelled', 'canceled', 'error']);

/**
 * A client for the backend eval API: `POST /api/eval/jobs`, poll `GET /api/eval/jobs/{id}` every 2 s (up to
 * 600 times) until `completed` or `failed`, then `GET /api/eval/jobs/{id}/results`.
 * @example const { results } = await createEvalBackendClient({ baseUrl, apiKey }).runJob(body);
 */
export function createEvalBackendClient(options: EvalBackendClientOptions): EvalBackendClient {
  const apiBase = backendApiBase(options.baseUrl);
  const doFetch = options.fetch ?? fetch;
  const interval = options.pollIntervalMs ?? 2000;
  const maxPolls = options.maxPolls ?? 600;
  const headers = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' };

  async function call(
    method: string,
    path: string,
    body?: JsonObject,
    signal?: AbortSignal,
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${apiBase}${path}`, {
        method,
        headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
        body: body ? JSON.stringify(body) : undefined,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new SynthError(`backend unreachable at ${apiBase} (${(error as Error).message})`, {
        hint: 'check --backend / SYNTH_BASE_URL',
      });
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.status === 401 || response.status === 403) {
      throw new SynthError(`backend refused the API key (${response.status} on ${method} ${path})`, {
        hint: 'check SYNTH_API_KEY',
      });
    }
    if (!response.ok) {
      const detail =
        (json as { detail?: unknown; error?: unknown } | null)?.detail ??
        (json as { error?: unknown } | null)?.error;
      const message =
        typeof detail === 'string' ? detail : detail ? JSON.stringify(detail) : text.slice(0, 200);
      throw new SynthError(`backend answered ${response.status} on ${method} ${path}: ${message}`);
    }
    if (json === null) throw new SynthError(`backend sent no JSON on ${method} ${path}`);
    return json;
  }

  const client: EvalBackendClient = {
    apiBase,
    async createJob(body, signal) {
      const reply = (await call('POST', '/eval/jobs', body, signal)) as Record<string, unknown>;
      const id = reply.job_id ?? reply.id;
      if (typeof id !== 'string' || id === '')
        throw new SynthError('backend created an eval job but sent no job_id');
      return id;
    },
    async getJob(jobId, signal) {
      const reply = (await call(
        'GET',
        `/eval/jobs/${encodeURIComponent(jobId)}`,
        undefined,
        signal,
      )) as EvalJobStatus;
      return { ...reply, job_id: jobId, status: String(reply.status ?? 'unknown').toLowerCase() };
    },
    async getResults(jobId, signal) {
      const reply = (await call(
        'GET',
        `/eval/jobs/${encodeURIComponent(jobId)}/results`,
        undefined,
        signal,
      )) as Record<string, unknown>;
      return {
        results: Array.isArray(reply.results) ? (reply.results as JsonObject[]) : [],
        ...(reply.summary ? { summary: reply.summary as JsonObject } : {}),
      };
    },
    async runJob(body, runOptions = {}) {
      const { signal, onStatus } = runOptions;
      const jobId = await client.createJob(body, signal);
      for (let poll = 0; poll < maxPolls; poll++) {
        const status = await client.getJob(jobId, signal);
        onStatus?.(status);
        if (TERMINAL.has(status.status)) {
          if (status.status !== 'completed' && status.status !== 'succeeded') {
            throw new SynthError(
              `backend eval job ${jobId} ${status.status}${status.error ? `: ${status.error}` : ''}`,
            );
          }
          return { jobId, status, results: await client.getResults(jobId, signal) };
        }
        await sleep(interval, signal);
      }
      throw new SynthError(`backend eval job ${jobId} did not finish after ${maxPolls} polls`, {
        hint: 'check the job on the backend, or raise the poll limit',
      });
    },
  };
  return client;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
