import type { JsonObject, JsonValue } from '../tracing/types.ts';
import { createEvalBackendClient, type EvalJobStatus } from './backend-client.ts';
import { summarize } from './summary.ts';
import type { EvalRunResult, ResolvedPolicy, SeedResult } from './types.ts';

/** What a backend-mode run takes. */
export interface BackendEvalOptions {
  backendUrl: string;
  apiKey: string;
  appId: string;
  envName: string;
  taskAppUrl: string;
  taskAppApiKey?: string | undefined;
  seeds: readonly number[];
  policy: ResolvedPolicy;
  envConfig: JsonObject;
  split: string;
  concurrency: number;
  timeoutMs: number | null;
  runId: string;
  pollIntervalMs?: number;
  fetch?: typeof fetch;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Maps one backend result row onto the report's row. */
export function mapBackendRow(row: JsonObject, runId: string): SeedResult {
  const error = typeof row.error === 'string' && row.error !== '' ? row.error : null;
  const verifier = num(row.verifier_score);
  return {
    seed: num(row.seed) ?? -1,
    status: error ? 'error' : 'ok',
    rolloutId: `${runId}-seed-${row.seed}`,
    score: num(row.score),
    meanReturn: num(row.reward_mean) ?? num(row.mean_return),
    outcomeScore: num(row.outcome_score),
    eventsScore: num(row.events_score),
    latencyMs: num(row.latency_ms) ?? 0,
    verifierScore: verifier,
    verdicts:
      verifier === null
        ? {}
        : {
            verifier: {
              status: 'ok',
              scores: { primary: verifier, event: null, outcome: null, criteria: {} },
              reasoning: '',
              metadata: {},
            },
          },
    tokens: num(row.tokens),
    costUsd: num(row.cost_usd),
    error,
    sessionId: typeof row.session_id === 'string' ? row.session_id : null,
    taskId: null,
    steps: null,
  };
}

/**
 * Runs an eval through the backend: creates the job, polls it, and maps its results onto the same rows and
 * summary as direct mode.
 */
export async function runBackendEval(
  options: BackendEvalOptions,
  hooks: { signal?: AbortSignal; onStatus?: (status: EvalJobStatus) => void } = {},
): Promise<EvalRunResult & { jobId: string }> {
  const client = createEvalBackendClient({
    baseUrl: options.backendUrl,
    apiKey: options.apiKey,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const body: JsonObject = {
    task_app_url: options.taskAppUrl,
    app_id: options.appId,
    env_name: options.envName,
    seeds: [...options.seeds],
    policy: {
      ...options.policy.config,
      ...(options.policy.policyName ? { policy_name: options.policy.policyName } : {}),
    } as JsonValue,
    env_config: { split: options.split, ...options.envConfig },
    mode: 'eval',
    max_concurrent: options.concurrency,
    timeout: options.timeoutMs === null ? null : options.timeoutMs / 1000,
    run_id: options.runId,
  };
  // The task app key goes to the backend so it can call the app; it is never printed or reported.
  if (options.taskAppApiKey) body.task_app_api_key = options.taskAppApiKey;
  const { jobId, results } = await client.runJob(body, hooks);
  const rows = results.results.map((r) => mapBackendRow(r, options.runId)).sort((a, b) => a.seed - b.seed);
  return {
    jobId,
    runId: options.runId,
    mode: 'backend',
    results: rows,
    skipped: [],
    notRun: [],
    summary: summarize(rows),
    interrupted: false,
  };
}
