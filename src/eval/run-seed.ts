import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { judgeMetadataPatch } from '../judge/judge-metadata.ts';
import type { TaskAppClient } from '../task-app/client.ts';
import type { PendingWrites } from '../tracing/pending-writes.ts';
import type { TraceStore } from '../tracing/store.ts';
import type { JsonObject, SessionTrace } from '../tracing/types.ts';
import { readRolloutFigures, readUsage } from './metrics.ts';
import { buildRolloutRequest, type RolloutPlan, rolloutIdFor } from './rollout-request.ts';
import { annotateTrace, extractTrace } from './trace-record.ts';
import type { EvalJudge, EvalVerdict, SeedResult } from './types.ts';

/** What one seed's rollout needs besides the seed. */
export interface SeedContext {
  plan: RolloutPlan;
  appId: string;
  client: TaskAppClient;
  store: TraceStore | null;
  judges: readonly EvalJudge[];
  tracesDir: string | null;
  /** The taskset's id (`metadata.task_id`), e.g. the dataset id; the env name when unknown. */
  taskId: string;
  timeoutMs: number | null;
  /** The run's stop signal (Ctrl-C). */
  signal: AbortSignal;
  /**
   * Trace inserts in flight. A seed hands its trace over and frees its slot without waiting for the commit;
   * the run settles them all before it reports (a failed insert turns its row into an error then).
   */
  storing: PendingWrites;
  /** Told when a seed's trace fails to store (the insert settles after the seed itself returns). */
  onStoreFailed?: (row: SeedResult) => void;
}

class RolloutTimeout extends Error {}

/**
 * Runs one seed: rollout, store the trace, judge it, write the trace file. Never throws: a failure is a row
 * with its error, so one bad seed cannot end the run.
 */
export async function runSeed(seed: number, ctx: SeedContext): Promise<SeedResult> {
  const started = performance.now();
  const rolloutId = rolloutIdFor(ctx.plan.runId, seed);
  const row: SeedResult = {
    seed,
    status: 'ok',
    rolloutId,
    score: null,
    meanReturn: null,
    outcomeScore: null,
    eventsScore: null,
    latencyMs: 0,
    verifierScore: null,
    verdicts: {},
    tokens: null,
    costUsd: null,
    error: null,
    sessionId: null,
    taskId: ctx.taskId,
    steps: null,
  };
  const timeout = new AbortController();
  const timer =
    ctx.timeoutMs === null ? null : setTimeout(() => timeout.abort(new RolloutTimeout()), ctx.timeoutMs);
  const signal = timer ? AbortSignal.any([ctx.signal, timeout.signal]) : ctx.signal;
  let response: JsonObject;
  try {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    response = (await ctx.client.rollout(buildRolloutRequest(ctx.plan, seed), { signal })) as JsonObject;
  } catch (error) {
    row.latencyMs = performance.now() - started;
    if (timeout.signal.aborted) {
      row.status = 'timeout';
      row.error = `timed out after ${((ctx.timeoutMs ?? 0) / 1000).toFixed(1)}s and was cancelled`;
    } else if (ctx.signal.aborted) {
      row.status = 'cancelled';
      row.error = 'run stopped before this seed finished';
    } else {
      row.status = 'error';
      row.error = error instanceof Error ? error.message : String(error);
    }
    return row;
  } finally {
    if (timer) clearTimeout(timer);
  }
  row.latencyMs = performance.now() - started;
  const figures = readRolloutFigures(response);
  row.score = figures.officialScore;
  row.meanReturn = figures.meanReturn;
  row.outcomeScore = figures.outcomeScore;
  row.eventsScore = figures.eventsScore;
  row.steps = figures.steps;
  if (response.aborted === true) row.error = 'the task app aborted the rollout';

  let trace = extractTrace(response);
  const usage = readUsage(trace, response);
  row.tokens = usage.tokens;
  row.costUsd = usage.costUsd;
  if (trace) {
    const taskId = typeof trace.metadata.task_id === 'string' ? trace.metadata.task_id : ctx.taskId;
    row.taskId = taskId;
    trace = annotateTrace(trace, {
      task_id: taskId,
      task_split: ctx.plan.split,
      model: ctx.plan.policy.model,
      policy_name: ctx.plan.policy.policyName ?? 'default',
      seed,
      env_name: ctx.plan.envName,
      official_score: row.score,
      eval_run_id: ctx.plan.runId,
      rollout_id: rolloutId,
    });
    row.sessionId = trace.session_id;
  }
  // Stored once, verdicts included: one insert instead of an insert and an update that rewrites the whole
  // row. Ctrl-C cancels the judge calls at once (their verdicts record why), so the trace is still kept.
  if (ctx.judges.length > 0) trace = await judgeSeed(row, trace, response, ctx);
  await ctx.storing.add(
    storeTrace(trace, ctx.store).then((storeError) => {
      if (!storeError) return;
      row.status = 'error';
      // A rollout's own error stays first: the store failing does not hide why the rollout failed.
      row.error = row.error
        ? `${row.error}; trace not stored: ${storeError}`
        : `trace not stored: ${storeError}`;
      ctx.onStoreFailed?.(row);
    }),
  );
  if (trace && ctx.tracesDir) {
    try {
      await writeTraceFile(ctx.tracesDir, seed, trace);
    } catch (error) {
      row.error ??= `trace file not written: ${(error as Error).message}`;
    }
  }
  return row;
}

async function judgeSeed(
  row: SeedResult,
  trace: SessionTrace | null,
  response: JsonObject,
  ctx: SeedContext,
): Promise<SessionTrace | null> {
  const input = { seed: row.seed, appId: ctx.appId, taskAppUrl: ctx.client.baseUrl, trace, response };
  // The judges grade at once (each is its own LLM call or scorer); their verdicts merge in judge order.
  const verdicts = await Promise.all(
    ctx.judges.map((judge) =>
      judge.grade(input, ctx.signal).catch(
        (error: unknown): EvalVerdict => ({
          status: 'error',
          reason: error instanceof Error ? error.message : String(error),
          metadata: {},
        }),
      ),
    ),
  );
  let meta = trace?.judge_metadata ?? null;
  for (const [index, judge] of ctx.judges.entries()) {
    const verdict = verdicts[index] as EvalVerdict;
    row.verdicts[judge.name] = verdict;
    if (index === 0 && verdict.status === 'ok') row.verifierScore = verdict.scores.primary;
    const patch = judgeMetadataPatch(verdict, { name: judge.name, primary: index === 0, existing: meta });
    meta = { ...(meta ?? {}), ...patch };
  }
  return trace ? { ...trace, judge_metadata: meta } : null;
}

/** Stores the trace; resolves to the failure's message, or null once it is committed (or not kept). */
function storeTrace(trace: SessionTrace | null, store: TraceStore | null): Promise<string | null> {
  if (!trace || !store) return Promise.resolve(null);
  return store.insertSession(trace).then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

/** Writes `seed_N_trace.json` through a temp file, so a reader never sees half a file. */
export async function writeTraceFile(dir: string, seed: number, trace: SessionTrace): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `seed_${seed}_trace.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(trace, null, 2)}\n`);
  await rename(tmp, path);
  return path;
}
