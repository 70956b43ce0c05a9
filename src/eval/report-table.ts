import Table from 'cli-table3';
import { formatNumber } from './format.ts';
import { mean } from './stats.ts';
import type { SeedResult } from './types.ts';

/** The columns of seed 003's per-seed table. */
export const TABLE_COLUMNS = [
  'seed',
  'score',
  'mean_return',
  'outcome',
  'events',
  'latency_ms',
  'verifier',
  'tokens',
  'cost_usd',
  'error',
] as const;

function cells(row: SeedResult): string[] {
  return [
    String(row.seed),
    formatNumber(row.score),
    formatNumber(row.meanReturn),
    formatNumber(row.outcomeScore),
    formatNumber(row.eventsScore),
    formatNumber(row.latencyMs, 1),
    formatNumber(row.verifierScore),
    row.tokens === null ? '-' : String(row.tokens),
    formatNumber(row.costUsd, 6),
    row.error === null ? '-' : row.error.replace(/\s+/g, ' ').slice(0, 80),
  ];
}

function avgCells(rows: readonly SeedResult[]): string[] {
  const m = (pick: (r: SeedResult) => number | null) => mean(rows.map(pick));
  const tokens = m((r) => r.tokens);
  const errors = rows.filter((r) => r.error !== null).length;
  return [
    'avg',
    formatNumber(m((r) => r.score)),
    formatNumber(m((r) => r.meanReturn)),
    formatNumber(m((r) => r.outcomeScore)),
    formatNumber(m((r) => r.eventsScore)),
    formatNumber(
      m((r) => r.latencyMs),
      1,
    ),
    formatNumber(m((r) => r.verifierScore)),
    tokens === null ? '-' : formatNumber(tokens, 0),
    formatNumber(
      m((r) => r.costUsd),
      6,
    ),
    errors === 0 ? '-' : `${errors} failed`,
  ];
}

/**
 * The per-seed table with an `avg` row. `boxed` draws it with cli-table3 (for a terminal); otherwise it is
 * plain `a | b` text with a dashed rule, as seed 003 prints it, safe for logs and files.
 */
export function renderResultsTable(rows: readonly SeedResult[], options: { boxed?: boolean } = {}): string {
  const body = [...rows.map(cells), avgCells(rows)];
  if (options.boxed) {
    const table = new Table({ head: [...TABLE_COLUMNS], style: { head: [], border: [] } });
    for (const line of body) table.push(line);
    return table.toString();
  }
  const all = [[...TABLE_COLUMNS] as string[], ...body];
  const widths = TABLE_COLUMNS.map((_, i) => Math.max(...all.map((line) => (line[i] ?? '').length)));
  const fmt = (line: string[]) =>
    line
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [fmt(all[0] ?? []), rule, ...body.map(fmt)].join('\n');
}
