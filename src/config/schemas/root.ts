/**
 * The whole config file: any of `[eval]`, `[prompt_learning]`, `[filter]` and the RL sections.
 * @module
 */
import type { z } from 'zod';
import { table, withRules } from './common.ts';
import { evalSchema } from './eval.ts';
import { filterSchema } from './filter.ts';
import { promptLearningSchema } from './prompt-learning.ts';
import { checkRl, RL_SECTIONS, resolveRl, rlShape } from './rl.ts';

/** Every table a config file may hold; any other top-level key is an error. */
export const configFileSchema = withRules(
  table({
    eval: evalSchema.optional(),
    prompt_learning: promptLearningSchema.optional(),
    filter: filterSchema.optional(),
    ...rlShape,
  }),
  checkRl,
).transform((c) => ({
  eval: c.eval,
  promptLearning: c.prompt_learning,
  filter: c.filter,
  rl: RL_SECTIONS.some((k) => c[k] !== undefined) ? resolveRl(c) : undefined,
}));

/** The typed blocks of one config file; a block is undefined when the file does not have it. */
export type ConfigBlocks = z.output<typeof configFileSchema>;
