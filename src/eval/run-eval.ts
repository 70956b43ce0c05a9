import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { UsageError } from '../errors.ts';
import { createTaskAppClient, type TaskAppClient } from '../task-app/client.ts';
import type { Info } from '../task-app/info-contract.ts';
import { createPendingWrites } from '../tracing/pending-writes.ts';
import type { TraceStore } from '../tracing/store.ts';
import type { JsonObject, JsonValue } from '../tracing/types.ts';
import { buildEvalJudges, type EvalJudgeOption } from './eval-judges.ts';
import { findTaskApp, type LocalTaskApp, startLocalTaskApp, tryFindTaskApp } from './local-server.ts';
import { assertPolicyKey, choosePolicy, offlineDefaultPolicy, type PolicyRequest } from './policy-choice.ts';
import { storedSeedsForRun } from './resume.ts';
import { runSeed, type SeedContext } from './run-seed.ts';
import { selectSeeds } from './seed-selection.ts';
import { DEFAULT_SEEDS } from './seeds.ts';
import { summarize } from './summary.ts';
import type { EvalProgressEvent, EvalRunResult, ResolvedPolicy, SeedResult } from './types.ts';

/** Everything a direct-mode run takes. Only `appId` is required. */
export interface EvalOptions {
  appId: string;
  /** A running task app; when absent the built-in app is started on a free loopback port. */
  url?: string | null;
  /** Key for `url` (ENVIRONMENT_API_KEY); the temporary server gets a fresh random one instead. */
  taskAppApiKey?: string | undefined;
  /** @default [0, 1, 2, 3, 4] */
  seeds?: readonly number[];
  split?: string;
  /** @default appId */
  envName?: string;
  /** What policy to run; resolved with the app's defaults (see `choosePolicy`), or given resolved. */
  policy?: PolicyRequest | ResolvedPolicy;
  envConfig?: JsonObject;
  ops?: JsonValue[] | null;
  /** Rollouts in flight at once. @default 1 */
  concurrency?: number;
  /** Per rollout; past it the rollout is cancelled and reported. null = none. */
  timeoutMs?: number | null;
  /** @default a fresh `eval-<time>-<hex>` */
  runId?: string;
  /** Where traces go; null keeps nothing. */
  traceStore?: TraceStore | null;
  /** Skip seeds whose traces are already stored for `runId`. */
  resume?: boolean;
  /**
   * The judges graded on each finished rollout: one judge's settings (`[eval.judge]`), or a list of settings
   * and ready judges. Every enabled one runs, under its own name; the first is the primary judge.
   */
  judge?: EvalJudgeOption | null;
  /** Write `seed_N_trace.json` files here. */
  tracesDir?: string | null;
  metadata?: readonly (readonly [string, string])[];
  metadataSql?: string | null;
}

/** Cancellation and progress for a run. */
export interface EvalHooks {
  /** Abort to stop (Ctrl-C): in-flight rollouts are cancelled, finished traces are kept. */
  signal?: AbortSignal;
  onProgress?: (event: EvalProgressEvent) => void;
  /** Lifecycle lines ("Starting temporary … server on port N...", "Evaluating seeds: …"). */
  onLog?: (line: string) => void;
  /** Called once the policy is resolved and the task app is reachable at `url`. */
  onPolicy?: (policy: ResolvedPolicy, url: string) => void;
}

/** A fresh run id: sortable by time, unique enough to share a DB. */
export function newRunId(): string {
  return `eval-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;
}

function isResolved(policy: EvalOptions['policy']): policy is ResolvedPolicy {
  return typeof policy === 'object' && policy !== null && 'policyName' in policy && 'config' in policy;
}

/**
 * Runs an eval in direct mode: starts the task app when no URL is given, picks the seeds, runs the rollouts
 * with bounded concurrency, stores each trace with its selection keys, judges each finished rollout, and
 * stops the temporary server at the end, on errors and on abort. A failed seed is a row, never a throw.
 * @example const run = await runEval({ appId: 'grpo-crafter', seeds: [0, 1, 2], traceStore: store });
 */
export async function runEval(options: EvalOptions, hooks: EvalHooks = {}): Promise<EvalRunResult> {
  const signal = hooks.signal ?? new AbortController().signal;
  const log = hooks.onLog ?? (() => {});
  const runId = options.runId ?? newRunId();
  if (options.resume && !options.runId) {
    throw new UsageError('--resume needs the run id of the run to continue', { hint: 'pass --run-id ID' });
  }
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const envName = options.envName ?? options.appId;
  const split = options.split ?? 'train';

  // The app and the policy are settled before any server starts, so a missing model or key fails fast.
  const builtIn = options.url ? await tryFindTaskApp(options.appId) : await findTaskApp(options.appId);
  const policy: ResolvedPolicy = isResolved(options.policy)
    ? options.policy
    : choosePolicy(options.policy ?? {}, {
        appId: options.appId,
        defaultPolicy: builtIn ? offlineDefaultPolicy(builtIn) : undefined,
        policies: builtIn ? Object.keys(builtIn.policies ?? {}) : undefined,
      });
  // A temporary app runs in this process, so the LLM key must be in this environment.
  if (!options.url) assertPolicyKey(policy);
  let local: LocalTaskApp | null = null;
  try {
    let client: TaskAppClient;
    if (options.url) {
      client = evalClient(options.url, options.taskAppApiKey ?? process.env.ENVIRONMENT_API_KEY);
    } else {
      local = await startLocalTaskApp(options.appId, { onLog: log });
      client = local.client(evalClient(local.url, local.apiKey, local.fetch));
    }
    hooks.onPolicy?.(policy, client.baseUrl);
    // /info is optional for eval: without it (or with a shape we cannot read) the env name names the task.
    const info = await client.info({ signal }).catch(() => null);
    const taskId = datasetId(info) ?? envName;
    const seeds = await selectSeeds(
      {
        seeds: options.seeds ?? DEFAULT_SEEDS,
        seedsExplicit: options.seeds !== undefined,
        split,
        metadata: options.metadata ?? [],
        metadataSql: options.metadataSql ?? null,
      },
      client,
      signal,
    );
    const store = options.traceStore ?? null;
    const done = options.resume && store ? await storedSeedsForRun(store, runId) : new Set<number>();
    const skipped = seeds.filter((s) => done.has(s));
    const todo = seeds.filter((s) => !done.has(s));
    const judges = await buildEvalJudges(options.judge, {
      appId: options.appId,
      envName,
      aliases: builtIn?.aliases,
      url: client.baseUrl,
      apiKey: local?.apiKey ?? options.taskAppApiKey,
      fetch: local?.fetch,
    });
    const ctx: SeedContext = {
      plan: {
        runId,
        envName,
        split,
        envConfig: options.envConfig ?? {},
        policy,
        ops: options.ops ?? null,
        timeoutS: options.timeoutMs ? Math.ceil(options.timeoutMs / 1000) : null,
      },
      appId: options.appId,
      client,
      store,
      judges,
      tracesDir: options.tracesDir ?? null,
      taskId,
      timeoutMs: options.timeoutMs ?? null,
      signal,
      // Commits finish behind the rollouts; with this many in flight a finished seed waits for one, so at
      // most 3 x concurrency - 1 traces wait for the store.
      storing: createPendingWrites({ limit: 2 * concurrency }),
    };
    const results = await runSeeds(todo, ctx, concurrency, hooks);
    // Every trace committed (or its row marked) before anything is reported.
    await ctx.storing.settle();
    const ran = new Set(results.map((r) => r.seed));
    return {
      runId,
      mode: 'direct',
      results,
      skipped,
      notRun: todo.filter((s) => !ran.has(s)),
      summary: summarize(results),
      interrupted: signal.aborted,
    };
  } finally {
    await local?.close();
  }
}

async function runSeeds(
  seeds: readonly number[],
  ctx: SeedContext,
  concurrency: number,
  hooks: EvalHooks,
): Promise<SeedResult[]> {
  const limit = pLimit(Math.min(concurrency, Math.max(1, seeds.length)));
  hooks.onProgress?.({ type: 'start', total: seeds.length, seeds });
  let finished = 0;
  // A failed insert can settle after its seed was reported ok: progress hears of it then. One that fails
  // before is already in the seed's own report.
  const reported = new WeakSet<SeedResult>();
  ctx.onStoreFailed = (result) => {
    if (reported.has(result)) hooks.onProgress?.({ type: 'seed-store-failed', result });
  };
  const results = await Promise.all(
    seeds.map((seed) =>
      limit(async () => {
        // A seed not started before Ctrl-C gets no row: it did not run, it did not fail.
        if (ctx.signal.aborted) return null;
        const result = await runSeed(seed, ctx);
        finished++;
        hooks.onProgress?.({ type: 'seed-done', result, done: finished, total: seeds.length });
        reported.add(result);
        return result;
      }),
    ),
  );
  return results.filter((r): r is SeedResult => r !== null).sort((a, b) => a.seed - b.seed);
}

/**
 * The client eval talks through. No retries: a rollout is not idempotent from the app's side, and a dead
 * app should fail its seeds now. No per-attempt limit: each rollout is bounded by the run's own timeout
 * and stop signal.
 */
function evalClient(
  baseUrl: string,
  apiKey: string | undefined,
  fetch?: typeof globalThis.fetch,
): TaskAppClient {
  return createTaskAppClient({ baseUrl, apiKey, retries: 0, timeoutMs: null, ...(fetch ? { fetch } : {}) });
}

function datasetId(info: Info | null): string | null {
  const id = info?.dataset?.id;
  if (typeof id === 'string') return id;
  return info?.service.task.id ?? null;
}
