import { formatNumber } from './format.ts';
import { describePearson } from './stats.ts';
import type { EvalRunResult } from './types.ts';

/**
 * The summary lines printed above the table: counts, "Official mean", each judge's mean and the Pearson r
 * between the official score and that judge (with n, or why it is undefined).
 */
export function renderSummary(
  run: EvalRunResult,
  context: { model?: string | null; split?: string } = {},
): string[] {
  const { summary } = run;
  const lines = [
    `Eval complete: ${summary.ok} ok, ${summary.failed} failed; model=${context.model ?? '-'}, split=${context.split ?? '-'}${run.interrupted ? ' (interrupted)' : ''}`,
  ];
  if (run.skipped.length > 0)
    lines.push(`Skipped (already stored for run ${run.runId}): ${run.skipped.join(', ')}`);
  if (run.notRun.length > 0) lines.push(`Not run (stopped first): ${run.notRun.length} seed(s)`);
  lines.push(`Official mean: ${formatNumber(summary.officialMean)}`);
  for (const [name, value] of Object.entries(summary.judgeMeans)) {
    lines.push(`[judge ${name}] mean: ${formatNumber(value)}`);
    const r = summary.pearson[name];
    if (r) lines.push(`    Pearson r: ${describePearson(r)}`);
  }
  return lines;
}
