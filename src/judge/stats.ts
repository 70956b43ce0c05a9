/** Pearson's r, or null with fewer than 2 pairs or zero variance. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** Ranks with ties given their average rank (1-based). */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && (order[j + 1] as { v: number }).v === (order[i] as { v: number }).v)
      j += 1;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) out[(order[k] as { i: number }).i] = avg;
    i = j + 1;
  }
  return out;
}

/** Spearman's ρ: Pearson's r of the ranks (ties averaged). */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  return pearson(ranks(xs), ranks(ys));
}

/** Mean absolute difference, or null when empty. */
export function meanAbsDiff(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return null;
  let s = 0;
  for (let i = 0; i < n; i += 1) s += Math.abs((xs[i] as number) - (ys[i] as number));
  return s / n;
}

/** Cohen's κ of two binary raters; null when undefined (expected agreement 1) or empty. */
export function cohenKappa(a: readonly boolean[], b: readonly boolean[]): number | null {
  const n = Math.min(a.length, b.length);
  if (n === 0) return null;
  let agree = 0;
  let aYes = 0;
  let bYes = 0;
  for (let i = 0; i < n; i += 1) {
    if (a[i] === b[i]) agree += 1;
    if (a[i]) aYes += 1;
    if (b[i]) bYes += 1;
  }
  const po = agree / n;
  const pe = (aYes / n) * (bYes / n) + (1 - aYes / n) * (1 - bYes / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/** A text histogram: `bins` equal bins over [lo, hi], one line each with a bar of #. */
export function textHistogram(
  values: readonly number[],
  options: { bins?: number; lo?: number; hi?: number; width?: number } = {},
): string {
  const bins = options.bins ?? 10;
  const lo = options.lo ?? 0;
  const hi = options.hi ?? 1;
  const width = options.width ?? 40;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[i] = (counts[i] as number) + 1;
  }
  const max = Math.max(1, ...counts);
  return counts
    .map((c, i) => {
      const a = lo + ((hi - lo) * i) / bins;
      const b = lo + ((hi - lo) * (i + 1)) / bins;
      return `${a.toFixed(2)}–${b.toFixed(2)} | ${'#'.repeat(Math.round((c / max) * width)).padEnd(width)} ${c}`;
    })
    .join('\n');
}
