import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gradeCrafterTrace } from '../../src/apps/crafter/rubric.ts';
import { getTaskApp } from '../../src/apps/registry.ts';
import { createTaskAppClient, type TaskAppClient } from '../../src/task-app/client.ts';
import { type RunningTaskAppServer, startTaskAppServer } from '../../src/task-app/start-server.ts';
import type { SessionTrace } from '../../src/tracing/types.ts';

describe('grpo-crafter task app over HTTP', () => {
  let server: RunningTaskAppServer;
  let client: TaskAppClient;
  before(async () => {
    const app = getTaskApp('crafter');
    assert.equal(app.id, 'grpo-crafter');
    server = await startTaskAppServer(app, { port: 0, apiKeys: ['k'], tracing: false, log: () => {} });
    client = createTaskAppClient({ baseUrl: server.url, apiKey: 'k', retries: 0 });
  });
  after(() => server.close());

  it('describes the taskset and per-seed task info; refuses seeds past 2^31-1', async () => {
    const info = await client.info();
    assert.equal(info.service.task.id, 'grpo-crafter');
    assert.deepEqual(info.capabilities?.policies, ['random', 'scripted']);
    assert.equal(info.rubrics?.outcome?.criteria.length, 5);
    const [task] = await client.taskInfo([42]);
    assert.equal(task!.task_metadata.seed, 42);
    assert.ok(['easy', 'medium', 'hard'].includes(task!.task_metadata.difficulty as string));
    await assert.rejects(client.taskInfo([2 ** 31]), /422/);
  });

  it('a scripted rollout: 10 turns by default, rubric scores in [0,1], and the trace grades the same', async () => {
    const body = await client.rollout({
      run_id: 'crafter-1',
      env: { seed: 7 },
      policy: { policy_name: 'scripted' },
      record: { return_trace: true, trace_format: 'full' },
    });
    assert.equal(body.trajectories[0]!.env_id, 'grpo-crafter::train::7');
    assert.equal(body.ops_executed, 20);
    assert.equal(body.metrics.num_steps, 10);
    const outcome = body.metrics.outcome_score!;
    const events = body.metrics.events_score!;
    assert.ok(outcome >= 0 && outcome <= 1);
    assert.ok(events >= 0 && events <= 1);
    // The score computed from the rollout's steps equals the rubric's grade of the recorded trace.
    const grade = gradeCrafterTrace(body.trace as unknown as SessionTrace);
    assert.ok(Math.abs(grade.outcome.score - outcome) < 1e-9, `${grade.outcome.score} vs ${outcome}`);
    assert.ok(Math.abs(grade.events.score - events) < 1e-9, `${grade.events.score} vs ${events}`);
    assert.equal(body.metrics.details.rubric_id, 'crafter/bundle@v1');
    // Judges find the rubric from the trace alone.
    assert.equal((body.trace as unknown as SessionTrace).metadata.task_rubric_id, 'crafter/bundle@v1');
  });

  it('the same seed and policy give the same episode', async () => {
    const run = () =>
      client.rollout({
        run_id: 'r',
        env: { seed: 3 },
        policy: { policy_name: 'random' },
        ops: Array(8)
          .fill('agent')
          .flatMap((a) => [a, 'env']),
      });
    const [a, b] = [await run(), await run()];
    assert.deepEqual(a.metrics.episode_returns, b.metrics.episode_returns);
    assert.deepEqual(
      a.trajectories[0]!.steps.map((s) => s.tool_calls),
      b.trajectories[0]!.steps.map((s) => s.tool_calls),
    );
  });
});
