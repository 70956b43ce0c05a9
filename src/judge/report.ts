import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import type { SessionSelection, TraceStore } from '../tracing/store.ts';
import type { JsonValue } from '../tracing/types.ts';
import { RESERVED_JUDGE_KEYS } from './judge-metadata.ts';
import { cohenKappa, meanAbsDiff, pearson, spearman, textHistogram } from './stats.ts';

/** How one judge agrees with the official scores (and with human labels when given). */
export interface JudgeAgreement {
  judge: string;
  /** Sessions with a score from this judge. */
  scored: number;
  /** Sessions where this judge failed or abstained. */
  failed: number;
  /** Pairs with an official score. */
  paired: number;
  pearson: number | null;
  spearman: number | null;
  meanAbsDiff: number | null;
  histogram: string;
  kappa?: { threshold: number; n: number; value: number | null };
}

/** Reads a labels file: one `{"session_id": "...", "label": true|false|number}` per line. */
export function loadLabels(path: string): Map<string, JsonValue> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`labels file ${path} cannot be read`, { hint: 'check the path given to --labels' });
  }
  const out = new Map<string, JsonValue>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: { session_id?: unknown; label?: JsonValue };
    try {
      row = JSON.parse(line);
    } catch {
      throw new UsageError(`labels file ${path} line ${i + 1} is not JSON`, {
        hint: 'write one {"session_id", "label"} object per line',
      });
    }
    if (typeof row.session_id !== 'string' || row.label === undefined) {
      throw new UsageError(`labels file ${path} line ${i + 1} needs session_id and label`, {
        hint: 'write one {"session_id", "label"} object per line',
      });
    }
    out.set(row.session_id, row.label);
  });
  return out;
}

function labelIsGood(label: JsonValue, threshold: number): boolean | null {
  if (typeof label === 'boolean') return label;
  if (typeof label === 'number') return label >= threshold;
  if (typeof label === 'string')
    return /^(good|pass|yes|true|1)$/i.test(label)
      ? true
      : /^(bad|fail|no|false|0)$/i.test(label)
        ? false
        : null;
  return null;
}

/**
 * Agreement of every judge found in `judge_metadata` (`primary`, and each named judge) with the official
 * score (`total_reward`), and with human labels at `threshold` (Cohen's κ of score ≥ threshold vs label).
 */
export async function judgeReport(
  store: TraceStore,
  options: { selection?: SessionSelection; labels?: Map<string, JsonValue>; threshold?: number } = {},
): Promise<JudgeAgreement[]> {
  const threshold = options.threshold ?? 0.5;
  const data = new Map<
    string,
    { scores: number[]; pj: number[]; po: number[]; lj: boolean[]; lh: boolean[]; failed: number }
  >();
  const entry = (name: string) => {
    let d = data.get(name);
    if (!d) {
      d = { scores: [], pj: [], po: [], lj: [], lh: [], failed: 0 };
      data.set(name, d);
    }
    return d;
  };
  for await (const s of store.listSessions(options.selection ?? {})) {
    const meta = s.judge_metadata;
    if (!meta) continue;
    const found: [string, number][] = [];
    if (typeof meta.primary === 'number') found.push(['primary', meta.primary]);
    for (const [k, v] of Object.entries(meta)) {
      if (RESERVED_JUDGE_KEYS.includes(k)) continue;
      if (typeof v === 'number') found.push([k, v]);
      else if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.primary === 'number')
        found.push([k, v.primary]);
    }
    const errors = meta.errors;
    if (errors && typeof errors === 'object' && !Array.isArray(errors))
      for (const k of Object.keys(errors)) entry(k).failed += 1;
    for (const [name, score] of found) {
      const d = entry(name);
      d.scores.push(score);
      if (typeof s.total_reward === 'number' && Number.isFinite(s.total_reward)) {
        d.pj.push(score);
        d.po.push(s.total_reward);
      }
      const label = options.labels?.get(s.session_id);
      const good = label === undefined ? null : labelIsGood(label, threshold);
      if (good !== null) {
        d.lj.push(score >= threshold);
        d.lh.push(good);
      }
    }
  }
  return [...data.entries()].map(([judge, d]) => ({
    judge,
    scored: d.scores.length,
    failed: d.failed,
    paired: d.pj.length,
    pearson: pearson(d.pj, d.po),
    spearman: spearman(d.pj, d.po),
    meanAbsDiff: meanAbsDiff(d.pj, d.po),
    histogram: textHistogram(d.scores),
    ...(options.labels ? { kappa: { threshold, n: d.lj.length, value: cohenKappa(d.lj, d.lh) } } : {}),
  }));
}

/** The report as text. */
export function formatReport(rows: readonly JudgeAgreement[]): string {
  if (rows.length === 0) return 'no judge scores in this DB (run synth-ai judge first)';
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
  return rows
    .map((r) => {
      const lines = [
        `judge ${r.judge}: ${r.scored} scored, ${r.failed} failed/abstained, ${r.paired} paired with official scores`,
        `  pearson ${f(r.pearson)}  spearman ${f(r.spearman)}  mean |judge − official| ${f(r.meanAbsDiff)}`,
      ];
      if (r.kappa)
        lines.push(`  cohen kappa vs labels at ${r.kappa.threshold}: ${f(r.kappa.value)} (n=${r.kappa.n})`);
      lines.push(r.histogram.replace(/^/gm, '  '));
      return lines.join('\n');
    })
    .join('\n\n');
}
