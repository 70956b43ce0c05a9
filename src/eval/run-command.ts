import { UsageError } from '../errors.ts';
import { openTraceStore } from '../tracing/open-store.ts';
import type { TraceStore } from '../tracing/store.ts';
import { choosePolicy } from './policy-choice.ts';
import { createProgressReporter } from './progress.ts';
import { buildJsonReport, buildTextReport, type ReportConfig, writeFileAtomic } from './report-files.ts';
import { renderSummary } from './report-summary.ts';
import { renderResultsTable } from './report-table.ts';
import type { EvalSettings } from './resolve-settings.ts';
import { runBackendEval } from './run-backend-eval.ts';
import { newRunId, runEval } from './run-eval.ts';
import { formatSeedList } from './seeds.ts';
import type { EvalRunResult } from './types.ts';

/** Where a command run writes, and how it is stopped. */
export interface EvalCommandIo {
  stdout: NodeJS.WritableStream;
  /** Lifecycle lines and progress. */
  stderr: NodeJS.WriteStream;
  /** A bar on a terminal, plain lines otherwise. */
  interactive: boolean;
  signal: AbortSignal;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The whole `synth-ai eval` run after its settings are resolved: open the trace store, run (direct or
 * backend mode), print the summary and the table, write the reports. Returns the exit code: 0 when every
 * seed succeeded, 1 when any failed, 130 when interrupted.
 */
export async function runEvalCommand(settings: EvalSettings, io: EvalCommandIo): Promise<number> {
  const env = io.env ?? process.env;
  const log = (line: string) => io.stderr.write(`${line}\n`);
  const runId = settings.runId ?? newRunId();
  let run: EvalRunResult;
  let model: string | null = settings.policy.model ?? null;
  let taskAppUrl = settings.url;
  if (settings.backend) {
    if (!settings.url)
      throw new UsageError('backend mode needs the task app URL the backend should call', {
        hint: 'pass --url or set task_app_url in the config',
      });
    log(
      `Backend mode: ${settings.backend} (job results are polled every ${settings.pollIntervalMs / 1000}s)`,
    );
    const policy = choosePolicy(settings.policy, { appId: settings.appId });
    model = policy.model;
    const apiKey = env.SYNTH_API_KEY;
    if (!apiKey)
      throw new UsageError('backend mode needs SYNTH_API_KEY', {
        hint: 'export SYNTH_API_KEY or put it in an --env-file',
      });
    run = await runBackendEval(
      {
        backendUrl: settings.backend,
        apiKey,
        appId: settings.appId,
        envName: settings.envName,
        taskAppUrl: settings.url,
        taskAppApiKey: env.ENVIRONMENT_API_KEY,
        seeds: settings.seeds ?? [0, 1, 2, 3, 4],
        policy,
        envConfig: settings.envConfig,
        split: settings.split,
        concurrency: settings.concurrency,
        timeoutMs: settings.timeoutMs,
        runId,
        pollIntervalMs: settings.pollIntervalMs,
      },
      { signal: io.signal, onStatus: (s) => log(`job ${s.job_id}: ${s.status}`) },
    );
  } else {
    // Rollouts, judges and HTTP keep this thread; inserts, commits and checkpoints run on the store's own.
    const store: TraceStore | null = await openTraceStore(settings.traceDb, {
      env: { ...env },
      writeThread: true,
    });
    if (store) log(`Traces: ${store.location} (run ${runId})`);
    const progress = createProgressReporter(io.stderr, io.interactive);
    try {
      run = await runEval(
        {
          appId: settings.appId,
          url: settings.url,
          taskAppApiKey: env.ENVIRONMENT_API_KEY,
          ...(settings.seeds ? { seeds: settings.seeds } : {}),
          split: settings.split,
          envName: settings.envName,
          policy: settings.policy,
          envConfig: settings.envConfig,
          ops: settings.ops,
          concurrency: settings.concurrency,
          timeoutMs: settings.timeoutMs,
          runId,
          traceStore: store,
          resume: settings.resume,
          judge: settings.judge,
          tracesDir: settings.tracesDir,
          metadata: settings.metadata,
          metadataSql: settings.metadataSql,
        },
        {
          signal: io.signal,
          onLog: log,
          onProgress: (event) => {
            if (event.type === 'start') log(`Evaluating seeds: ${formatSeedList(event.seeds)}`);
            progress.update(event);
          },
          onPolicy: (policy, url) => {
            model = policy.model;
            taskAppUrl = url;
            log(
              `Policy: ${policy.policyName ?? 'the task app default'}${policy.model ? ` (model ${policy.model})` : ''}`,
            );
          },
        },
      );
    } finally {
      progress.stop();
      await store?.close();
    }
  }
  const context = { model, split: settings.split };
  io.stdout.write(`${renderSummary(run, context).join('\n')}\n`);
  io.stdout.write(`${renderResultsTable(run.results, { boxed: io.interactive })}\n`);
  const config: ReportConfig = {
    app_id: settings.appId,
    task_app_url: taskAppUrl,
    env_name: settings.envName,
    policy_name: settings.policy.policy ?? (model ? 'llm' : 'default'),
    policy_config: { ...settings.policy.policyConfig, ...(model ? { model } : {}) },
    seeds: [...run.results.map((r) => r.seed), ...run.skipped, ...run.notRun].sort((a, b) => a - b),
    split: settings.split,
    ops: settings.ops,
    concurrency: settings.concurrency,
    run_id: run.runId,
    mode: run.mode,
  };
  if (settings.outputJson) {
    await writeFileAtomic(settings.outputJson, `${JSON.stringify(buildJsonReport(run, config), null, 2)}\n`);
    log(`JSON report: ${settings.outputJson}`);
  }
  if (settings.outputTxt) {
    await writeFileAtomic(settings.outputTxt, buildTextReport(run, context));
    log(`Text report: ${settings.outputTxt}`);
  }
  if (settings.tracesDir) log(`Trace files: ${settings.tracesDir}/seed_N_trace.json`);
  if (run.interrupted) return 130;
  return run.summary.failed > 0 ? 1 : 0;
}
