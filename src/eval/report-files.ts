import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JsonObject, JsonValue } from '../tracing/types.ts';
import { scrubSecrets } from './format.ts';
import { renderSummary } from './report-summary.ts';
import { renderResultsTable } from './report-table.ts';
import { judgeNames, judgeScore } from './summary.ts';
import type { EvalRunResult, SeedResult } from './types.ts';

/** The `config` block of the JSON report (seed 003), credentials removed. */
export interface ReportConfig {
  app_id: string;
  task_app_url: string | null;
  env_name: string;
  policy_name: string;
  policy_config: JsonObject;
  seeds: number[];
  split: string;
  ops: JsonValue[] | null;
  concurrency: number;
  run_id: string;
  mode: 'direct' | 'backend';
}

function resultJson(row: SeedResult, judges: readonly string[]): JsonObject {
  return {
    seed: row.seed,
    status: row.status,
    score: row.score,
    mean_return: row.meanReturn,
    outcome_score: row.outcomeScore,
    events_score: row.eventsScore,
    latency_ms: Number(row.latencyMs.toFixed(1)),
    verifier_score: row.verifierScore,
    judge_scores: Object.fromEntries(judges.map((j) => [j, judgeScore(row, j)])),
    judge_errors: Object.fromEntries(
      Object.entries(row.verdicts)
        .filter(([, v]) => v.status !== 'ok')
        .map(([name, v]) => [name, { status: v.status, reason: v.status === 'ok' ? '' : v.reason }]),
    ),
    tokens: row.tokens,
    cost_usd: row.costUsd,
    error: row.error,
    session_id: row.sessionId,
    task_id: row.taskId,
    run_id: row.rolloutId,
  };
}

/** The JSON report: `{config, summary, results}`; results carry no traces (those go to `--traces-dir`). */
export function buildJsonReport(run: EvalRunResult, config: ReportConfig): JsonObject {
  const judges = judgeNames(run.results);
  const s = run.summary;
  return {
    config: scrubSecrets(config) as unknown as JsonObject,
    summary: {
      ok: s.ok,
      failed: s.failed,
      skipped: run.skipped,
      not_run: run.notRun,
      interrupted: run.interrupted,
      official_mean: s.officialMean,
      judge_means: s.judgeMeans,
      pearson: Object.fromEntries(
        Object.entries(s.pearson).map(([name, p]) => [
          name,
          p.r === null ? { r: null, n: p.n, reason: p.reason } : { r: p.r, n: p.n },
        ]),
      ),
    } as JsonObject,
    results: run.results.map((r) => resultJson(r, judges)),
  };
}

/** The text report: the summary lines and the plain table. */
export function buildTextReport(
  run: EvalRunResult,
  context: { model?: string | null; split?: string } = {},
): string {
  return `${[...renderSummary(run, context), '', renderResultsTable(run.results)].join('\n')}\n`;
}

/** Writes a file through a temp file and a rename, so a reader never sees half of it. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
