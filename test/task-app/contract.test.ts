import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  HealthResponseSchema,
  InfoSchema,
  RootResponseSchema,
  TaskInfoSchema,
  TasksetResponseSchema,
} from '../../src/task-app/info-contract.ts';
import { RolloutResponseSchema } from '../../src/task-app/rollout-contract.ts';
import type { RunningTaskAppServer } from '../../src/task-app/start-server.ts';
import { authed, serve } from './helpers.ts';

describe('task app HTTP contract', () => {
  let server: RunningTaskAppServer;
  before(async () => {
    server = await serve();
  });
  after(() => server.close());

  it('GET / and HEAD / answer without a key', async () => {
    const root = await fetch(`${server.url}/`);
    assert.equal(root.status, 200);
    assert.deepEqual(RootResponseSchema.parse(await root.json()), { status: 'ok', service: 'counter' });
    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('GET /health and /info', async () => {
    const health = HealthResponseSchema.parse(await (await authed(`${server.url}/health`)).json());
    assert.equal(health.healthy, true);
    const info = InfoSchema.parse(await (await authed(`${server.url}/info`)).json());
    assert.equal(info.service.task.id, 'counter');
    assert.equal(info.rubrics?.outcome?.criteria[0]?.id, 'reach');
    assert.deepEqual(info.capabilities?.policies, ['press', 'press-llm']);
  });

  it('GET /task_info: none → taskset, one → object, several → array (seed and seeds, repeatable)', async () => {
    const taskset = TasksetResponseSchema.parse(await (await authed(`${server.url}/task_info`)).json());
    assert.deepEqual(taskset.taskset, { id: 'counter', seeds: 'any' });
    const one = TaskInfoSchema.parse(await (await authed(`${server.url}/task_info?seed=3`)).json());
    assert.equal(one.task.id, 'counter');
    assert.deepEqual(one.task_metadata, { seed: 3, split: 'train', difficulty: 'hard' });
    const many = (await (
      await authed(`${server.url}/task_info?seed=1&seed=2&seeds=4,5`)
    ).json()) as unknown[];
    assert.equal(many.length, 4);
    assert.deepEqual(
      many.map((item) => TaskInfoSchema.parse(item).task_metadata.seed),
      [1, 2, 4, 5],
    );
  });

  it('POST /rollout runs ops and answers a valid RolloutResponse', async () => {
    const response = await authed(`${server.url}/rollout`, {
      method: 'POST',
      body: JSON.stringify({ run_id: 'r1', env: { seed: 2 }, policy: { policy_name: 'press' } }),
    });
    assert.equal(response.status, 200);
    const body = RolloutResponseSchema.parse(await response.json());
    // seed 2 → target 3 presses, each worth 1, then terminated.
    assert.equal(body.run_id, 'r1');
    assert.equal(body.metrics.num_steps, 3);
    assert.deepEqual(body.metrics.episode_returns, [3]);
    assert.equal(body.metrics.mean_return, 3);
    assert.equal(body.metrics.num_episodes, 1);
    assert.equal(body.metrics.outcome_score, 3);
    assert.equal(body.ops_executed, 6);
    assert.equal(body.aborted, false);
    const trajectory = body.trajectories[0]!;
    assert.equal(trajectory.env_id, 'counter::2');
    assert.equal(trajectory.policy_id, 'press');
    assert.equal(trajectory.length, 3);
    assert.deepEqual(
      trajectory.steps.map((step) => [step.obs.presses, step.reward, step.done]),
      [
        [0, 1, false],
        [1, 1, false],
        [2, 1, true],
      ],
    );
    assert.equal(body.trace, undefined);
  });

  it('explicit ops and their aliases are capped by max steps', async () => {
    const body = RolloutResponseSchema.parse(
      await (
        await authed(`${server.url}/rollout`, {
          method: 'POST',
          body: JSON.stringify({
            run_id: 'r2',
            env: { seed: 4, config: { max_turns: 1 } },
            policy: { policy_name: 'press' },
            ops: ['policy', { type: 'step' }, 'agent', 'env'],
          }),
        })
      ).json(),
    );
    assert.equal(body.ops_executed, 2);
    assert.equal(body.metrics.num_steps, 1);
  });

  it('safety.max_ops caps the ops; record.trajectories=false leaves the steps out', async () => {
    const body = RolloutResponseSchema.parse(
      await (
        await authed(`${server.url}/rollout`, {
          method: 'POST',
          body: JSON.stringify({
            run_id: 'r4',
            env: { seed: 4 },
            policy: { policy_name: 'press' },
            safety: { max_ops: 3 },
            record: { trajectories: false },
          }),
        })
      ).json(),
    );
    assert.equal(body.ops_executed, 3);
    assert.equal(body.metrics.num_steps, 1);
    assert.equal(body.trajectories[0]!.length, 1);
    assert.deepEqual(body.trajectories[0]!.steps, []);
  });

  it('a request with no policy name and no model uses the app default policy', async () => {
    const response = await authed(`${server.url}/rollout`, {
      method: 'POST',
      body: JSON.stringify({ run_id: 'r3', env: { seed: 0 }, policy: {} }),
    });
    const body = RolloutResponseSchema.parse(await response.json());
    assert.equal(body.trajectories[0]!.policy_id, 'press');
    assert.equal(body.metrics.num_steps, 1);
  });

  it('the same run id without a seed gives the same episode', async () => {
    const run = async () =>
      RolloutResponseSchema.parse(
        await (
          await authed(`${server.url}/rollout`, {
            method: 'POST',
            body: JSON.stringify({ run_id: 'same-run', env: {}, policy: { policy_name: 'press' } }),
          })
        ).json(),
      );
    const [a, b] = [await run(), await run()];
    assert.equal(a.trajectories[0]!.env_id, b.trajectories[0]!.env_id);
    assert.equal(a.metrics.num_steps, b.metrics.num_steps);
  });
});
