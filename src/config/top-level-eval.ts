/**
 * The original also reads eval keys written at the top of a file, with no `[eval]` header (seed 002's
 * `seeds = [...]` / `max_turns = 50` snippet). This moves them under `eval` before validation.
 * @module
 */
import type { KeyLineIndex } from './key-lines.ts';
import { isTable } from './schemas/common.ts';
import { RL_SECTIONS } from './schemas/rl.ts';

const BLOCKS = new Set<string>(['eval', 'prompt_learning', 'filter', ...RL_SECTIONS]);

/**
 * When the file has no `[eval]` table but has top-level keys that are not block names (or a string
 * `model`, which as a table would be RL's `[model]`), returns the data with those keys moved under `eval`.
 * Unknown top-level keys move too, so they are checked against eval's keys ("did you mean").
 */
export function liftTopLevelEval(data: Record<string, unknown>): Record<string, unknown> | undefined {
  if ('eval' in data) return undefined;
  const moved = Object.keys(data).filter((k) => !BLOCKS.has(k) || (k === 'model' && !isTable(data[k])));
  if (
    !moved.some((k) => !isTable(data[k]) || k === 'policy' || k === 'policy_config' || k === 'env_config')
  ) {
    return undefined;
  }
  const lifted: Record<string, unknown> = { eval: {} };
  for (const [key, value] of Object.entries(data)) {
    if (moved.includes(key)) (lifted.eval as Record<string, unknown>)[key] = value;
    else lifted[key] = value;
  }
  return lifted;
}

/** Line lookups for lifted data: `eval.x` is written at the top level as `x`. */
export function liftedLines(lines: KeyLineIndex): KeyLineIndex {
  return { lineOf: (path) => (path[0] === 'eval' ? lines.lineOf(path.slice(1)) : lines.lineOf(path)) };
}
