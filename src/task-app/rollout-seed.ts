/**
 * Which seed and split a rollout request means. synth-ai clients put the seed in `env.seed` and often
 * repeat it as `env.config.seed` / `env.config.index`; with none given the seed derives from the run id,
 * so a rerun of the same run id is the same episode.
 * @module
 */
import { createHash } from 'node:crypto';
import { TaskAppHttpError } from './http-error.ts';
import type { RolloutRequest } from './rollout-contract.ts';

function checkSeed(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  throw new TaskAppHttpError(422, 'invalid_seed', `${path}: expected a non-negative integer seed`, {
    hint: 'send the seed as an integer such as 0, 1, 42',
  });
}

/** The rollout's seed: `env.seed`, then `env.config.seed`, then `env.config.index`, then from `run_id`. */
export function resolveSeed(request: RolloutRequest): number {
  if (request.env.seed !== undefined) return request.env.seed;
  const config = request.env.config;
  if (config.seed !== undefined && config.seed !== null) return checkSeed(config.seed, 'env.config.seed');
  if (config.index !== undefined && config.index !== null) return checkSeed(config.index, 'env.config.index');
  return createHash('sha256').update(request.run_id).digest().readUInt32BE(0) & 0x7fffffff;
}

/** The rollout's split: `env.config.split`, else the app's default. */
export function resolveSplit(request: RolloutRequest, fallback: string): string {
  const split = request.env.config.split;
  if (split === undefined || split === null) return fallback;
  if (typeof split === 'string' && split.length > 0) return split;
  throw new TaskAppHttpError(
    422,
    'invalid_request',
    'env.config.split: expected a split name such as "train"',
  );
}
