import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { backendApiBase, createEvalBackendClient } from '../../src/eval/backend-client.ts';
import { runBackendEval } from '../../src/eval/run-backend-eval.ts';

/** A fake backend speaking the eval jobs API: a job is "running" for two polls, then completes. */
function fakeBackend(apiKey: string) {
  interface JobBody {
    seeds: number[];
    app_id: string;
    policy: unknown;
    env_config: unknown;
    max_concurrent: number;
    timeout: number;
    task_app_api_key?: string;
  }
  const jobs = new Map<string, { body: JobBody; polls: number; fail: boolean }>();
  const app = new Hono();
  app.use('/api/*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${apiKey}`) return c.json({ detail: 'bad key' }, 401);
    return next();
  });
  app.post('/api/eval/jobs', async (c) => {
    const body = (await c.req.json()) as JobBody;
    if (!Array.isArray(body.seeds)) return c.json({ detail: 'seeds required' }, 422);
    const id = `job_${jobs.size + 1}`;
    jobs.set(id, { body, polls: 0, fail: body.app_id === 'broken' });
    return c.json({ job_id: id, status: 'queued' });
  });
  app.get('/api/eval/jobs/:id', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) return c.json({ detail: 'no job' }, 404);
    job.polls++;
    if (job.polls < 3) return c.json({ job_id: c.req.param('id'), status: 'running' });
    return job.fail
      ? c.json({ job_id: c.req.param('id'), status: 'failed', error: 'task app unreachable' })
      : c.json({ job_id: c.req.param('id'), status: 'completed' });
  });
  app.get('/api/eval/jobs/:id/results', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job || job.polls < 3) return c.json({ detail: 'not ready' }, 409);
    return c.json({
      results: job.body.seeds.map((seed) => ({
        seed,
        score: seed / 10,
        reward_mean: seed / 10,
        outcome_score: 1,
        events_score: null,
        latency_ms: 12.5,
        verifier_score: seed === 1 ? null : 0.5 + seed / 10,
        tokens: 100,
        cost_usd: 0.001,
        error: seed === 1 ? 'policy timeout' : null,
      })),
      summary: { mean: 0.1 },
    });
  });
  return { app, jobs };
}

describe('backend mode client', () => {
  const key = 'sk_synth_test';
  const backend = fakeBackend(key);
  let server: ReturnType<typeof serve>;
  let base = '';
  before(async () => {
    server = serve({ fetch: backend.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('appends /api to the base URL once', () => {
    assert.equal(backendApiBase('http://h:8000'), 'http://h:8000/api');
    assert.equal(backendApiBase('http://h:8000/api/'), 'http://h:8000/api');
    assert.throws(() => backendApiBase('not a url'), /is not a URL/);
  });

  it('creates a job, polls until completed, fetches results, and maps them to rows', async () => {
    const statuses: string[] = [];
    const run = await runBackendEval(
      {
        backendUrl: base,
        apiKey: key,
        appId: 'banking77',
        envName: 'banking77',
        taskAppUrl: 'http://127.0.0.1:8103',
        taskAppApiKey: 'env-key',
        seeds: [0, 1, 2],
        policy: { policyName: 'llm', model: 'gpt-4o-mini', config: { model: 'gpt-4o-mini' } },
        envConfig: {},
        split: 'test',
        concurrency: 4,
        timeoutMs: 30_000,
        runId: 'run-b',
        pollIntervalMs: 5,
      },
      { onStatus: (s) => statuses.push(s.status) },
    );
    assert.deepEqual(statuses, ['running', 'running', 'completed']);
    const job = backend.jobs.get(run.jobId);
    assert.ok(job);
    assert.deepEqual(job.body.seeds, [0, 1, 2]);
    assert.deepEqual(job.body.policy, { model: 'gpt-4o-mini', policy_name: 'llm' });
    assert.deepEqual(job.body.env_config, { split: 'test' });
    assert.equal(job.body.max_concurrent, 4);
    assert.equal(job.body.timeout, 30);
    assert.equal(job.body.task_app_api_key, 'env-key');
    assert.equal(run.mode, 'backend');
    assert.deepEqual(
      run.results.map((r) => [r.seed, r.status, r.score, r.verifierScore, r.error]),
      [
        [0, 'ok', 0, 0.5, null],
        [1, 'error', 0.1, null, 'policy timeout'],
        [2, 'ok', 0.2, 0.7, null],
      ],
    );
    assert.equal(run.summary.failed, 1);
  });

  it('reports a failed job and a refused key in one line each', async () => {
    const client = createEvalBackendClient({ baseUrl: base, apiKey: key, pollIntervalMs: 5 });
    await assert.rejects(
      client.runJob({ app_id: 'broken', seeds: [0] }),
      /job job_\d+ failed: task app unreachable/,
    );
    const wrong = createEvalBackendClient({ baseUrl: base, apiKey: 'nope', pollIntervalMs: 5 });
    await assert.rejects(
      wrong.createJob({ seeds: [0] }),
      (e: Error & { hint?: string }) =>
        /refused the API key \(401/.test(e.message) && e.hint === 'check SYNTH_API_KEY',
    );
    await assert.rejects(client.createJob({ app_id: 'x' }), /422 on POST \/eval\/jobs: seeds required/);
  });

  it('gives up after the poll limit', async () => {
    const client = createEvalBackendClient({ baseUrl: base, apiKey: key, pollIntervalMs: 1, maxPolls: 2 });
    await assert.rejects(client.runJob({ app_id: 'slow', seeds: [0] }), /did not finish after 2 polls/);
  });
});
