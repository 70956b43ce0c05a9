/**
 * `min_created_at` / `max_created_at` accept ISO-8601 or Unix epoch seconds; times without a zone are UTC.
 * @module
 */

/** Parses an ISO-8601 string or epoch seconds (number or numeric string) to ISO-8601 UTC, or undefined. */
export function parseTimeBound(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? fromEpoch(value) : undefined;
  // smol-toml's dates print their own text (a local time stays zoneless), so go through the string path.
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : parseTimeBound(value.toISOString());
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text));
  // A date alone, or a date-time with no zone, is read as UTC (JavaScript would read the latter as local time).
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const candidate = isDateOnly ? `${text}T00:00:00Z` : hasZone ? text : `${text.replace(' ', 'T')}Z`;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(candidate)) return undefined;
  const ms = Date.parse(candidate);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function fromEpoch(seconds: number): string | undefined {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
