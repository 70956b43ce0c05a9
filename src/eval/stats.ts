/** Why a correlation could not be computed. */
export type PearsonUndefinedReason = 'fewer-than-2-pairs' | 'zero-variance';

/** Pearson r over paired scores, or why it is undefined. */
export type PearsonResult = { r: number; n: number } | { r: null; n: number; reason: PearsonUndefinedReason };

/**
 * Pearson correlation over the pairs where both values are finite numbers:
 * r = Σdxdy / √(Σdx²·Σdy²). Fewer than 2 pairs or a constant side leaves r undefined, with the reason.
 * @example pearson([1, 2, 3], [2, 4, 7]).r // ≈ 0.99
 */
export function pearson(xs: readonly (number | null)[], ys: readonly (number | null)[]): PearsonResult {
  const pairs: [number, number][] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i];
    const y = ys[i];
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y))
      pairs.push([x, y]);
  }
  const n = pairs.length;
  if (n < 2) return { r: null, n, reason: 'fewer-than-2-pairs' };
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  // A constant side is tested as such: its float mean can differ from the value by an ulp, which leaves a
  // variance of ~1e-32 and an r of rounding noise.
  const [x0, y0] = pairs[0]!;
  if (sxx === 0 || syy === 0 || pairs.every(([x]) => x === x0) || pairs.every(([, y]) => y === y0))
    return { r: null, n, reason: 'zero-variance' };
  return { r: sxy / Math.sqrt(sxx * syy), n };
}

/** Mean of the finite numbers, or null when there are none. */
export function mean(values: readonly (number | null | undefined)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

/** Human text for a Pearson result, as the summary prints it. */
export function describePearson(result: PearsonResult): string {
  if (result.r !== null) return `${result.r.toFixed(2)} (n=${result.n})`;
  return result.reason === 'zero-variance'
    ? `undefined (zero variance, n=${result.n})`
    : `n/a (need >=2 paired scores, n=${result.n})`;
}
