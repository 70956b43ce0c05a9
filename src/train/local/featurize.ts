/**
 * Hashed text features for the local trainer: a sparse bag of tokens, where each token is also tagged with
 * the label of its line (`Facing: tree` → `facing|tree`), so structured observations keep their structure
 * without any app-specific code.
 * @module
 */

/** Sparse features: indices into a weight row, each with a value. */
export interface Features {
  indices: Int32Array;
  values: Float32Array;
}

const TOKEN = /[a-z0-9_]+/g;

/** FNV-1a, 32-bit: fast, stable across runs and platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Features of a text in a space of `dims` buckets (a power of two). A bias feature is always present.
 * Values are 1/sqrt(n) so long and short texts have comparable norms.
 */
export function featurize(text: string, dims: number): Features {
  const mask = dims - 1;
  const buckets = new Map<number, number>();
  const add = (key: string) => {
    const index = hash(key) & mask;
    buckets.set(index, (buckets.get(index) ?? 0) + 1);
  };
  add('<bias>');
  for (const rawLine of text.toLowerCase().split('\n')) {
    const colon = rawLine.indexOf(':');
    const label = colon > 0 && colon < 40 ? rawLine.slice(0, colon).trim() : '';
    const tokens = rawLine.slice(colon > 0 ? colon + 1 : 0).match(TOKEN) ?? [];
    let previous = '';
    for (const token of tokens) {
      add(token);
      if (label) add(`${label}|${token}`);
      if (previous) add(`${previous}_${token}`);
      previous = token;
    }
  }
  const indices = new Int32Array(buckets.size);
  const values = new Float32Array(buckets.size);
  const norm = 1 / Math.sqrt(buckets.size);
  let i = 0;
  for (const [index, count] of buckets) {
    indices[i] = index;
    values[i] = count * norm;
    i++;
  }
  return { indices, values };
}
