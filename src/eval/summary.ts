import { mean, pearson } from './stats.ts';
import type { EvalSummary, SeedResult } from './types.ts';

/** The ok score of one judge on one row, or null (error and abstain count as missing, never 0). */
export function judgeScore(row: SeedResult, judge: string): number | null {
  const verdict = row.verdicts[judge];
  return verdict?.status === 'ok' ? verdict.scores.primary : null;
}

/** Judge names in the order they first appear. */
export function judgeNames(results: readonly SeedResult[]): string[] {
  const names: string[] = [];
  for (const row of results)
    for (const name of Object.keys(row.verdicts)) if (!names.includes(name)) names.push(name);
  return names;
}

/**
 * Counts, the official mean, each judge's mean and Pearson r between the official score and each judge
 * over the seeds where both are present.
 */
export function summarize(results: readonly SeedResult[]): EvalSummary {
  const ok = results.filter((r) => r.status === 'ok' && r.error === null).length;
  const official = results.map((r) => r.score);
  const summary: EvalSummary = {
    ok,
    failed: results.length - ok,
    officialMean: mean(official),
    judgeMeans: {},
    pearson: {},
  };
  for (const name of judgeNames(results)) {
    const scores = results.map((r) => judgeScore(r, name));
    summary.judgeMeans[name] = mean(scores);
    summary.pearson[name] = pearson(official, scores);
  }
  return summary;
}
