/**
 * `[rubric]` and `[rubric.weights]`: synth-ai's env/event/outcome reward blend (synth-ai-reference §6).
 * @module
 */
import { z } from 'zod';
import { isTable, looseTable, nonNegativeNumber, table, withRules } from '../common.ts';

/** `[rubric.weights]`: R = env·env_return + event·Σ event scores + outcome·outcome score. */
export const rubricWeightsSchema = withRules(
  table({
    /** @default 1 */
    env: nonNegativeNumber().optional(),
    /** @default 0 */
    event: nonNegativeNumber().optional(),
    /** @default 0 */
    outcome: nonNegativeNumber().optional(),
  }),
  (value, report) => {
    const w = [value.env ?? 1, value.event ?? 0, value.outcome ?? 0];
    if (w.every((x) => x === 0))
      report([], 'rubric.weights are all zero; at least one of env, event, outcome must be > 0');
  },
);

/** `[rubric]`; `model`, `api_base`, `api_key_env`, `event`, `outcome` are the original's deprecated keys. */
export const rubricSchema = table({
  /** @default false */
  enabled: z.boolean().optional(),
  weights: rubricWeightsSchema.optional(),
  model: z.string().optional(),
  api_base: z.string().optional(),
  api_key_env: z.string().optional(),
  event: looseTable().optional(),
  outcome: looseTable().optional(),
});

/** Resolves `[rubric]` with its defaults. */
export function resolveRubric(r: z.output<typeof rubricSchema> | undefined) {
  return {
    enabled: r?.enabled ?? false,
    weights: {
      env: r?.weights?.env ?? 1,
      event: r?.weights?.event ?? 0,
      outcome: r?.weights?.outcome ?? 0,
    },
  };
}

/** Deprecated `[rubric]` keys present in a written table. */
export const deprecatedRubricKeys = (value: unknown): string[] =>
  isTable(value) ? ['model', 'api_base', 'api_key_env', 'event', 'outcome'].filter((k) => k in value) : [];
