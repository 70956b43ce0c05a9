/**
 * Building blocks shared by the block schemas: strict tables, numeric ranges, seeds, and the rule runner
 * that lets cross-field checks report alongside type errors.
 * @module
 */
import { z } from 'zod';
import { trySeeds } from '../seeds.ts';

/** Deeply readonly view of a resolved config. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends Date
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** A TOML table whose unknown keys are errors (reported with "did you mean"). */
export const table = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape);

/** An integer >= 1. */
export const positiveInt = () => z.int().min(1);
/** An integer >= 0. */
export const nonNegativeInt = () => z.int().min(0);
/** A finite number > 0. */
export const positiveNumber = () => z.number().gt(0);
/** A finite number >= 0. */
export const nonNegativeNumber = () => z.number().min(0);
/** A score threshold in [0, 1]. */
export const unitInterval = () => z.number().min(0).max(1);
/** A list of strings. */
export const stringList = () => z.array(z.string());
/** An http(s) URL. */
export const httpUrl = () =>
  z.string().regex(/^https?:\/\/\S+$/, { message: 'expected an http:// or https:// URL' });
/** The name of an environment variable (never its value). */
export const envVarName = () =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected the name of an environment variable' });
/** A free-form table passed through to another component (env config, policy config, metadata). */
export const looseTable = () => z.record(z.string(), z.unknown());

/**
 * Seeds as TOML writes them (a list, an integer, or a string such as `"0,5,9"` or `"1-100"`), resolved
 * to a list of distinct non-negative integers.
 */
export const seedsField = () =>
  z.unknown().transform((value, ctx) => {
    const result = trySeeds(value);
    if (result.ok) return result.seeds;
    const path = result.index === undefined ? [] : [result.index];
    ctx.addIssue({ code: 'custom', message: result.problem, input: value, path });
    return z.NEVER;
  }) as unknown as z.ZodType<number[], number[] | number | string>;

/** Adds a problem at `path` (relative to the table being checked). */
export type Report = (path: readonly (string | number)[], message: string) => void;

/**
 * Runs cross-field rules even when some fields already failed their type checks, so every problem in a
 * file is reported at once; rules must check the types of what they read.
 */
export function withRules<T extends z.ZodType>(
  schema: T,
  rules: (value: Record<string, unknown>, report: Report) => void,
): T {
  return schema.superRefine(
    (value, ctx) => {
      if (typeof value !== 'object' || value === null) return;
      rules(value as Record<string, unknown>, (path, message) => {
        ctx.addIssue({ code: 'custom', message, path: [...path] });
      });
    },
    { when: () => true },
  ) as T;
}

/** True for a plain table value (not an array, not a date). */
export const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Reports `min > max` for a numeric pair. */
export function checkMinMax(
  value: Record<string, unknown>,
  minKey: string,
  maxKey: string,
  report: Report,
): void {
  const min = value[minKey];
  const max = value[maxKey];
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    report([minKey], `${minKey} (${min}) is greater than ${maxKey} (${max})`);
  }
}
