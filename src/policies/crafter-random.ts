/**
 * The `random` Crafter policy: each action uniform over the 17, from a PRNG seeded by the episode seed.
 * @module
 */
import { ACTIONS } from '../apps/crafter/constants.ts';
import { Rng } from '../apps/crafter/rng.ts';
import type { JsonObject } from '../tracing/types.ts';
import { actionsPerCall, crafterDecision } from './crafter-messages.ts';
import type { Policy, PolicyContext, PolicyDecision } from './types.ts';

/** Uniform random actions; `config.actions_per_call` (1..8, default 4) sets the call size. */
export function createCrafterRandomPolicy(options: { seed: number; config?: JsonObject }): Policy {
  const perCall = actionsPerCall(options.config ?? {}, 4);
  // A stream apart from the environment's, so policy and world draws never mirror each other.
  const rng = new Rng(options.seed, 0x5eed);
  return {
    name: 'random',
    async decide(context: PolicyContext): Promise<PolicyDecision> {
      const actions = Array.from({ length: perCall }, () => ACTIONS[rng.randint(ACTIONS.length)]!);
      return crafterDecision(context, actions);
    },
  };
}
