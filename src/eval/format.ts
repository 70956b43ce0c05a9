/** A number for a report cell: `-` for missing, trailing zeros trimmed, at most `digits` decimals. */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return Number(value.toFixed(digits)).toString();
}

const SECRET_KEY = /(api[_-]?key|secret|password|token|authorization)$/i;

/**
 * A copy of a config object without values that look like credentials (`api_key`, `*_token`, ...).
 * Names of variables (`api_key_env`) are kept: they say where a key is, not what it is.
 */
export function scrubSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && !/_env$/i.test(key)) continue;
    out[key] = scrubSecrets(inner);
  }
  return out as T;
}
