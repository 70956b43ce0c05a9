/**
 * Time bounds of `[filter]` (`min_created_at`, `max_created_at`).
 * @module
 */
import { z } from 'zod';

/**
 * A time bound: an ISO string (a time without an offset is UTC), epoch seconds (number or digit string),
 * or a TOML date-time. Returns undefined when it cannot be read.
 */
export function toInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : new Date(value.getTime());
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return new Date(Number(text) * 1000);
  const naive = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const ms = Date.parse(naive ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** A zod field for a time bound, resolved to a `Date`. */
export const instant = () =>
  z.union([z.string(), z.number(), z.date()]).transform((value, ctx) => {
    const date = toInstant(value);
    if (date) return date;
    ctx.addIssue({
      code: 'custom',
      message: `cannot read ${JSON.stringify(value)} as a time (use ISO 8601 or epoch seconds)`,
    });
    return z.NEVER;
  });
