/**
 * A task app served on a loopback port whose `local` policy reads an in-memory softmax model, so the
 * local trainer's rollouts go through the same HTTP contract as everyone else's.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createTaskAppClient } from '../../task-app/client.ts';
import type { TaskApp } from '../../task-app/define.ts';
import { createPolicyResolver } from '../../task-app/policy-resolver.ts';
import type { RolloutResponse } from '../../task-app/rollout-contract.ts';
import { startTaskAppServer } from '../../task-app/start-server.ts';
import type { JsonObject } from '../../tracing/types.ts';
import { createLocalPolicy } from './local-policy.ts';
import type { SoftmaxModel } from './softmax-model.ts';

export interface LocalAppServer {
  /** One episode with the model of `version`; `temperature` 0 is greedy. */
  rollout(args: {
    seed: number;
    version: number;
    temperature: number;
    sample: number;
  }): Promise<RolloutResponse>;
  close(): Promise<void>;
}

/** Starts `app` with a `local` policy backed by `modelFor(version)`. */
export async function startLocalAppServer(options: {
  app: TaskApp;
  modelFor(version: number): SoftmaxModel;
  maxTurns: number;
  envConfig?: JsonObject;
}): Promise<LocalAppServer> {
  const apiKey = randomBytes(16).toString('hex');
  const fallback = createPolicyResolver();
  const server = await startTaskAppServer(options.app, {
    apiKeys: [apiKey],
    tracing: true,
    log: (line) => process.stderr.write(`${line}\n`),
    resolvePolicy: async (args) => {
      if (args.policyName !== 'local') return fallback(args);
      const temperature = typeof args.config.temperature === 'number' ? args.config.temperature : 1;
      return createLocalPolicy({
        model: options.modelFor(Number(args.config.policy_version ?? 0)),
        seed: args.seed ^ Number(args.config.sample ?? 0),
        temperature,
      });
    },
  });
  const client = createTaskAppClient({ baseUrl: server.url, apiKey, retries: 1 });
  return {
    rollout: ({ seed, version, temperature, sample }) =>
      client.rollout({
        run_id: randomUUID(),
        env: { seed, config: { ...(options.envConfig ?? {}), max_turns: options.maxTurns } },
        policy: { policy_name: 'local', config: { policy_version: version, temperature, sample } },
        ops: [],
        record: {
          trajectories: true,
          logprobs: false,
          value: false,
          return_trace: true,
          trace_format: 'full',
        },
        on_done: 'reset',
        safety: { max_ops: 100_000, max_time_s: 3600 },
        mode: 'rl',
      } as Parameters<typeof client.rollout>[0]),
    close: () => server.close(),
  };
}
