import { UsageError } from '../errors.ts';

/** The most seeds one value may expand to, so that a typo such as `1-1000000000` fails fast. */
export const MAX_SEEDS = 1_000_000;

/** The outcome of reading a seeds value: the seeds, or one line saying what is wrong. */
export type SeedsResult = { ok: true; seeds: number[] } | { ok: false; problem: string; index?: number };

const describe = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : String(value);

/**
 * Reads seeds as the CLI (`--seeds`) and TOML (`seeds`) write them: a list of integers, one integer, or a
 * string of comma-separated chunks, each an integer or an inclusive range `a-b` with a <= b. Seeds are
 * non-negative; duplicates are dropped, keeping the first occurrence, so `1-5,3` runs seed 3 once.
 * @example trySeeds('1-3,7') // { ok: true, seeds: [1, 2, 3, 7] }
 */
export function trySeeds(value: unknown): SeedsResult {
  const out = new Set<number>();
  const fail = (problem: string, index?: number): SeedsResult =>
    index === undefined ? { ok: false, problem } : { ok: false, problem, index };
  const addOne = (n: number, what: string): string | undefined => {
    if (!Number.isSafeInteger(n) || n < 0) return `${what} is not a non-negative integer`;
    out.add(n);
    return undefined;
  };
  if (typeof value === 'number' || typeof value === 'bigint') {
    const problem = addOne(Number(value), `seed ${describe(value)}`);
    return problem ? fail(problem) : { ok: true, seeds: [...out] };
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      if (typeof item !== 'number')
        return fail(`seed at index ${index} is ${describe(item)}, not an integer`, index);
      const problem = addOne(item, `seed at index ${index} (${item})`);
      if (problem) return fail(problem, index);
    }
  } else if (typeof value === 'string') {
    for (const raw of value.split(',')) {
      const chunk = raw.trim();
      if (chunk === '') return fail(`empty chunk in seeds ${describe(value)}`);
      const single = /^\d+$/.exec(chunk);
      const range = /^(\d+)\s*-\s*(\d+)$/.exec(chunk);
      if (single) {
        const problem = addOne(Number(chunk), `seed ${chunk}`);
        if (problem) return fail(problem);
      } else if (range) {
        const start = Number(range[1]);
        const end = Number(range[2]);
        if (start > end)
          return fail(`seed range "${chunk}" starts after it ends (write it as ${end}-${start})`);
        if (end - start + 1 + out.size > MAX_SEEDS)
          return fail(`seed range "${chunk}" is over ${MAX_SEEDS} seeds`);
        for (let n = start; n <= end; n++) out.add(n);
      } else {
        return fail(
          `bad seed chunk "${chunk}" in ${describe(value)} (use integers and ranges: "0,5,9", "1-100", "1-3,7")`,
        );
      }
    }
  } else {
    return fail(`expected seeds as a list of integers, an integer, or a string like "0,5,9" or "1-100"`);
  }
  if (out.size === 0) return fail('no seeds given');
  return { ok: true, seeds: [...out] };
}

/**
 * Like {@link trySeeds} but throws a `UsageError` naming the problem; `source` names where the value came
 * from (for example `--seeds`).
 * @example parseSeeds('0,5,9') // [0, 5, 9]
 */
export function parseSeeds(value: unknown, source = 'seeds'): number[] {
  const result = trySeeds(value);
  if (!result.ok) {
    throw new UsageError(`${source}: ${result.problem}`, {
      hint: 'write seeds as "0,5,9", "1-100" or "1-3,7"',
    });
  }
  return result.seeds;
}
