/**
 * Rollout ops: the sequence of `agent` (ask the policy) and `env` (apply its tool calls) steps.
 * synth-ai's aliases are accepted (`policy`/`model` for agent, `environment`/`step` for env).
 * @module
 */
import { TaskAppHttpError } from './http-error.ts';

export type RolloutOp = 'agent' | 'env';

const ALIASES: Readonly<Record<string, RolloutOp>> = {
  agent: 'agent',
  policy: 'agent',
  model: 'agent',
  env: 'env',
  environment: 'env',
  step: 'env',
};

function opName(op: unknown): unknown {
  if (typeof op === 'string') return op;
  if (typeof op === 'object' && op !== null) {
    const record = op as Record<string, unknown>;
    return record.type ?? record.op ?? record.kind;
  }
  return op;
}

/**
 * Normalises the request's ops. No ops means `agent, env` repeated `maxSteps` times; the result is
 * capped at `2 × maxSteps` and at `maxOps`. An unknown op is a 422 naming its index.
 */
export function resolveOps(ops: readonly unknown[], maxSteps: number, maxOps: number): RolloutOp[] {
  const resolved: RolloutOp[] = [];
  ops.forEach((op, index) => {
    const name = opName(op);
    const mapped = typeof name === 'string' ? ALIASES[name.trim().toLowerCase()] : undefined;
    if (mapped === undefined) {
      throw new TaskAppHttpError(
        422,
        'invalid_op',
        `ops.${index}: unknown op ${JSON.stringify(name ?? op)}`,
        { hint: 'use "agent" or "env" (aliases: policy, model, environment, step)' },
      );
    }
    resolved.push(mapped);
  });
  const base: RolloutOp[] =
    resolved.length > 0 ? resolved : Array.from({ length: maxSteps }, () => ['agent', 'env'] as const).flat();
  return base.slice(0, Math.min(2 * maxSteps, maxOps));
}

/**
 * Reads a positive integer setting from the first `[path, record]` source that has the key.
 * A present but invalid value is a 422 naming its path, never silently ignored.
 */
export function readPositiveInt(
  sources: ReadonlyArray<readonly [string, Record<string, unknown>]>,
  keys: readonly string[],
): number | undefined {
  for (const [path, source] of sources) {
    for (const key of keys) {
      const value = source[key];
      if (value === undefined || value === null) continue;
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
      throw new TaskAppHttpError(422, 'invalid_request', `${path}.${key}: expected a positive integer`);
    }
  }
  return undefined;
}
