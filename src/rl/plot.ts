/**
 * Training curves as one self-contained HTML page (inline SVG, no scripts, no network), because people
 * would rather look at a curve than read a JSONL file.
 * @module
 */
import type { IterationMetrics } from './metrics.ts';

interface Series {
  label: string;
  color: string;
  points: [number, number][];
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = 40;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function chart(title: string, series: Series[]): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<section><h2>${escapeHtml(title)}</h2><p>no data</p></section>`;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number) => PAD + ((x - x0) / (x1 - x0 || 1)) * (WIDTH - 2 * PAD);
  const sy = (y: number) => HEIGHT - PAD - ((y - y0) / (y1 - y0)) * (HEIGHT - 2 * PAD);
  const lines = series
    .filter((s) => s.points.length)
    .map((s) => {
      const d = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      const dots = s.points
        .map(
          ([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${s.color}"/>`,
        )
        .join('');
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${d}"/>${dots}`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<text x="${PAD + i * 150}" y="16" fill="${s.color}" font-size="12">■ ${escapeHtml(s.label)}</text>`,
    )
    .join('');
  const axes =
    `<line x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD}" stroke="#999"/>` +
    `<line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${HEIGHT - PAD}" stroke="#999"/>` +
    `<text x="${PAD - 4}" y="${sy(y1) + 4}" text-anchor="end" font-size="11">${y1.toFixed(2)}</text>` +
    `<text x="${PAD - 4}" y="${sy(y0) + 4}" text-anchor="end" font-size="11">${y0.toFixed(2)}</text>` +
    `<text x="${sx(x0)}" y="${HEIGHT - PAD + 16}" font-size="11">iter ${x0}</text>` +
    `<text x="${sx(x1)}" y="${HEIGHT - PAD + 16}" text-anchor="end" font-size="11">iter ${x1}</text>`;
  return `<section><h2>${escapeHtml(title)}</h2><svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif">${legend}${axes}${lines}</svg></section>`;
}

function seriesOf(
  metrics: readonly IterationMetrics[],
  label: string,
  color: string,
  pick: (m: IterationMetrics) => number | null,
): Series {
  return {
    label,
    color,
    points: metrics.flatMap((m) => {
      const v = pick(m);
      return v === null || !Number.isFinite(v) ? [] : [[m.iteration, v] as [number, number]];
    }),
  };
}

/** The HTML page of the training curves. */
export function renderTrainingPlot(
  metrics: readonly IterationMetrics[],
  title = 'synth-ai training',
): string {
  const charts = [
    chart('Returns', [
      seriesOf(metrics, 'mean_return', '#1f77b4', (m) => m.mean_return),
      seriesOf(metrics, 'env_return', '#2ca02c', (m) => m.env_return),
      seriesOf(metrics, 'judge_return', '#d62728', (m) => m.judge_return),
      seriesOf(metrics, 'eval_mean_return', '#9467bd', (m) => m.eval_mean_return),
    ]),
    chart('Judge', [
      seriesOf(metrics, 'mean_judge_score', '#ff7f0e', (m) => m.mean_judge_score),
      seriesOf(metrics, 'judge_variance', '#8c564b', (m) => m.judge_variance),
    ]),
    chart('Time per iteration (s)', [
      seriesOf(metrics, 'iteration_s', '#17becf', (m) => m.iteration_s),
      seriesOf(metrics, 'generation_s', '#7f7f7f', (m) => m.generation_s),
      seriesOf(metrics, 'judging_s', '#bcbd22', (m) => m.judging_s),
    ]),
  ].join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif"><h1>${escapeHtml(title)}</h1>${charts}</body></html>\n`;
}
