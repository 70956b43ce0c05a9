import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createHttpTrainer, type RlBatch } from '../../src/train/http/http-trainer.ts';

const KEY = 'trainer-key-0123456789';

/** A trainer speaking docs/trainer-protocol.md, which fails the first batch POST with a 500. */
function trainerApp() {
  const app = new Hono();
  const received: RlBatch[] = [];
  let batchPosts = 0;
  let polls = 0;
  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${KEY}`)
      return c.json({ error: { code: 'unauthorized' } }, 401);
    await next();
  });
  app.post('/v1/rl/batches', async (c) => {
    batchPosts++;
    if (batchPosts === 1) return c.json({ error: { code: 'busy', message: 'warming up' } }, 500);
    const batch = (await c.req.json()) as RlBatch;
    if (batch.trajectories.length === 0)
      return c.json({ error: { code: 'empty', message: 'no trajectories' } }, 422);
    received.push(batch);
    return c.json({ batch_id: `b-${batch.iteration}` }, 202);
  });
  app.get('/v1/rl/batches/:id', (c) => {
    polls++;
    if (polls < 2) return c.json({ status: 'training' });
    return c.json({
      status: 'done',
      checkpoint: { id: 'ckpt-1', inference_url: 'http://127.0.0.1:9/v1', model: 'ckpt-1' },
      metrics: { loss: 0.5 },
    });
  });
  app.post('/v1/sft/jobs', async (c) => {
    const body = (await c.req.json()) as { examples: unknown[] };
    return c.json({ job_id: `sft-${body.examples.length}` }, 202);
  });
  app.get('/v1/sft/jobs/:id', (c) =>
    c.json({
      status: 'succeeded',
      checkpoint: { id: 'sft-ckpt', inference_url: 'http://127.0.0.1:9/v1', model: 'sft-ckpt' },
      events: [{ at: 1, level: 'info', message: `trained on ${c.req.param('id')}` }],
    }),
  );
  return { app, received, counts: () => ({ batchPosts, polls }) };
}

describe('http trainer client (docs/trainer-protocol.md)', () => {
  const server = trainerApp();
  let baseUrl = '';
  let close: () => void = () => {};
  before(async () => {
    const s = serve({ fetch: server.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => s.once('listening', () => resolve()));
    baseUrl = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    close = () => s.close();
  });
  after(() => close());

  const batch: RlBatch = {
    iteration: 1,
    policy_version: null,
    hyperparameters: { learning_rate: 0.1, variety: 'gspo' },
    trajectories: [
      {
        trajectory_id: 't0',
        group_id: 'seed-1',
        seed: 1,
        reward: 2,
        advantage: 1,
        messages: [{ role: 'user', content: 'x' }],
      },
    ],
  };

  it('sends a batch (retrying a 5xx), polls it, and returns the new checkpoint', async () => {
    const trainer = createHttpTrainer({ baseUrl, apiKey: KEY, pollIntervalS: 0.01 });
    const result = await trainer.rlStep(batch);
    assert.equal(result.checkpoint.model, 'ckpt-1');
    assert.equal(result.metrics.loss, 0.5);
    assert.equal(server.counts().batchPosts, 2);
    assert.deepEqual(server.received[0]!.trajectories[0]!.advantage, 1);
  });

  it('does not retry a 4xx and names the status', async () => {
    const trainer = createHttpTrainer({ baseUrl, apiKey: KEY, pollIntervalS: 0.01 });
    const before = server.counts().batchPosts;
    await assert.rejects(trainer.rlStep({ ...batch, trajectories: [] }), /answered 422/);
    assert.equal(server.counts().batchPosts, before + 1);
  });

  it('a wrong key is a 401 error that does not echo the key', async () => {
    const trainer = createHttpTrainer({ baseUrl, apiKey: 'wrong-key-zzzzzz', pollIntervalS: 0.01 });
    await assert.rejects(trainer.rlStep(batch), (error: Error) => {
      assert.match(error.message, /answered 401/);
      assert.doesNotMatch(error.message, /wrong-key-zzzzzz/);
      return true;
    });
  });

  it('runs an SFT job to the end and relays its events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-http-trainer-'));
    const dataset = join(dir, 'd.jsonl');
    writeFileSync(dataset, `${JSON.stringify({ messages: [] })}\n${JSON.stringify({ messages: [] })}\n`);
    const trainer = createHttpTrainer({ baseUrl, apiKey: KEY, pollIntervalS: 0.01 });
    const messages: string[] = [];
    const outcome = await trainer.sft(
      { datasetPath: dataset, model: 'Qwen/Qwen3-4B' },
      { wait: true, onEvent: (e) => messages.push(e.message) },
    );
    assert.deepEqual(outcome, { status: 'succeeded', model: 'sft-ckpt', jobId: 'sft-2' });
    assert.deepEqual(messages, ['trained on sft-2']);
  });

  it('an unreachable trainer is one clear error', async () => {
    const trainer = createHttpTrainer({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, retries: 0 });
    await assert.rejects(trainer.rlStep(batch), /cannot be reached/);
  });
});
