import type { RolloutRequestInput } from '../task-app/rollout-contract.ts';
import type { JsonObject, JsonValue } from '../tracing/types.ts';
import type { ResolvedPolicy } from './types.ts';

/** What every rollout of a run shares. */
export interface RolloutPlan {
  /** The eval run id; each rollout's run_id is derived from it and the seed. */
  runId: string;
  envName: string;
  split: string;
  envConfig: JsonObject;
  policy: ResolvedPolicy;
  /** Explicit ops, or null for the task app's default. */
  ops: JsonValue[] | null;
  /** Seconds the task app may spend on one rollout (sent as `safety.max_time_s`). */
  timeoutS: number | null;
}

/** The rollout id for one seed: stable for a run, so a resumed run can tell what is done. */
export function rolloutIdFor(runId: string, seed: number): string {
  return `${runId}-seed-${seed}`;
}

/**
 * Builds the RolloutRequest for one seed (synth-ai reference §3): `env.config` carries split and index
 * (the seed) merged under the user's env_config; the trace comes back whole (`trace_format: 'full'`) so
 * eval can store it; `mode: 'eval'` for the newer contract.
 */
export function buildRolloutRequest(plan: RolloutPlan, seed: number): RolloutRequestInput {
  const policy: RolloutRequestInput['policy'] = { config: { ...plan.policy.config } };
  if (plan.policy.policyName !== null) policy.policy_name = plan.policy.policyName;
  const request: RolloutRequestInput = {
    run_id: rolloutIdFor(plan.runId, seed),
    env: {
      env_name: plan.envName,
      seed,
      config: { split: plan.split, index: seed, ...plan.envConfig },
    },
    policy,
    ops: (plan.ops ?? []) as RolloutRequestInput['ops'],
    record: { trajectories: true, return_trace: true, trace_format: 'full' },
    on_done: 'terminate',
    mode: 'eval',
  };
  if (plan.timeoutS !== null) request.safety = { max_time_s: plan.timeoutS };
  return request;
}
