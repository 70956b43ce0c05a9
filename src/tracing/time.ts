/**
 * Time helpers shared by the tracer and the store: traces carry Unix seconds (float) and ISO-8601 UTC.
 * @module
 */

/** Now, in Unix seconds with millisecond precision. */
export function nowSeconds(): number {
  return Date.now() / 1000;
}

/** ISO-8601 UTC (`…T…Z`) for Unix seconds; these strings sort in time order. */
export function isoFromSeconds(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

/** Now as ISO-8601 UTC. */
export function nowIso(): string {
  return new Date().toISOString();
}
