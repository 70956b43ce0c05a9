import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { banking77App } from '../../../src/apps/banking77/app.ts';
import { builtinSplit, loadBanking77Split } from '../../../src/apps/banking77/dataset.ts';
import { BANKING77_TOOL, createBanking77Environment } from '../../../src/apps/banking77/environment.ts';
import { classifyByKeywords } from '../../../src/apps/banking77/keyword-policy.ts';
import { BANKING77_LABELS, intentsMatch, normalizeIntent } from '../../../src/apps/banking77/labels.ts';
import { createTaskAppClient } from '../../../src/task-app/client.ts';
import { type RunningTaskAppServer, startTaskAppServer } from '../../../src/task-app/start-server.ts';

const call = (intent: unknown, name = 'banking77_classify') => ({
  id: 'c1',
  type: 'function' as const,
  function: { name, arguments: JSON.stringify({ intent }) },
});

describe('banking77 labels and data', () => {
  it('has the 77 distinct labels, each in both built-in splits (2 train, 1 test)', () => {
    assert.equal(BANKING77_LABELS.length, 77);
    assert.equal(new Set(BANKING77_LABELS).size, 77);
    const train = builtinSplit('train');
    const test = builtinSplit('test');
    for (const label of BANKING77_LABELS) {
      assert.equal(train.filter((e) => e.label === label).length, 2, label);
      assert.equal(test.filter((e) => e.label === label).length, 1, label);
    }
    const texts = [...train, ...test].map((e) => e.text);
    assert.equal(new Set(texts).size, texts.length, 'every query is distinct');
    assert.throws(() => builtinSplit('validation'), /no split "validation"/);
  });

  it('hands out a fresh copy of a built-in split, and one shared read-only split to the environment', async () => {
    const mine = builtinSplit('train');
    mine.sort((a, b) => a.text.localeCompare(b.text));
    mine[0]!.text = 'changed';
    assert.notEqual(builtinSplit('train')[0]!.text, 'changed');
    const shared = await loadBanking77Split({ split: 'train' });
    assert.equal(await loadBanking77Split({ split: 'train' }), shared);
    assert.ok(Object.isFrozen(shared) && Object.isFrozen(shared[0]));
    assert.deepEqual([...shared], builtinSplit('train'));
  });

  it('normalises labels: lowercase, _ as space, trimmed', () => {
    assert.equal(normalizeIntent('  Card_Arrival '), 'card arrival');
    assert.equal(normalizeIntent('Refund_not_showing_up'), 'refund not showing up');
    assert.equal(intentsMatch('card arrival', 'card_arrival'), true);
    assert.equal(intentsMatch('CARD_ARRIVAL', 'card_arrival'), true);
    assert.equal(intentsMatch('refund_not_showing_up', 'Refund_not_showing_up'), true);
    assert.equal(intentsMatch('card_delivery_estimate', 'card_arrival'), false);
    assert.equal(intentsMatch('cardarrival', 'card_arrival'), false);
  });

  it('the tool forces an intent from the 77 labels', () => {
    const intent = (BANKING77_TOOL.function.parameters.properties as Record<string, { enum: string[] }>)
      .intent!;
    assert.deepEqual(intent.enum, [...BANKING77_LABELS]);
    assert.deepEqual(BANKING77_TOOL.function.parameters.required, ['intent']);
  });
});

describe('banking77 environment', () => {
  const example = { text: 'My card has not arrived yet', label: 'card_arrival' };

  it('rewards 1 for the gold intent after normalisation, 0 otherwise, and ends', () => {
    const env = createBanking77Environment({ example, index: 4, split: 'test' });
    assert.equal(env.instanceId, 'banking77::test::4');
    const observation = env.reset() as { data: Record<string, unknown> };
    assert.equal(observation.data.query, example.text);
    const right = env.step(call(' Card Arrival ')) as { reward: number; terminated: boolean };
    assert.equal(right.reward, 1);
    assert.equal(right.terminated, true);
    env.reset();
    const wrong = env.step(call('card_delivery_estimate')) as {
      reward: number;
      info: Record<string, unknown>;
    };
    assert.equal(wrong.reward, 0);
    assert.equal(wrong.info.expected_intent, 'card_arrival');
  });

  it('answers bad calls through info without ending the episode', () => {
    const env = createBanking77Environment({ example, index: 0, split: 'train' });
    env.reset();
    for (const bad of [
      call('x', 'other_tool'),
      call(42),
      { ...call('x'), function: { name: 'banking77_classify', arguments: '{' } },
    ]) {
      const result = env.step(bad) as { reward: number; terminated: boolean; info: Record<string, unknown> };
      assert.equal(result.reward, 0);
      assert.equal(result.terminated, false);
      assert.equal(result.info.valid, false);
    }
  });

  it('the keyword policy beats chance by far on the held-out built-in test split', () => {
    const test = builtinSplit('test');
    const correct = test.filter((e) => classifyByKeywords(e.text) === e.label).length;
    // Chance is 1/77 (about 1 of 77); the keyword model must get many right.
    assert.ok(correct >= 30, `keyword policy got ${correct}/77`);
  });
});

describe('banking77 over HTTP', () => {
  let server: RunningTaskAppServer;
  before(async () => {
    server = await startTaskAppServer(banking77App, {
      port: 0,
      apiKeys: ['k'],
      tracing: false,
      log: () => {},
    });
  });
  after(() => server.close());

  it('rolls out every test seed with the keyword policy: env_id, reward = outcome = events score', async () => {
    const client = createTaskAppClient({ baseUrl: server.url, apiKey: 'k' });
    const test = builtinSplit('test');
    for (const seed of [0, 5, 76, 77 + 3]) {
      const body = await client.rollout({
        run_id: `b-${seed}`,
        env: { seed, config: { split: 'test' } },
        policy: { policy_name: 'keyword' },
      });
      const index = seed % test.length;
      assert.equal(body.trajectories[0]!.env_id, `banking77::test::${index}`);
      const reward = body.metrics.mean_return;
      const expected = classifyByKeywords(test[index]!.text) === test[index]!.label ? 1 : 0;
      assert.equal(reward, expected);
      assert.equal(body.metrics.outcome_score, reward);
      assert.equal(body.metrics.events_score, reward);
      assert.equal(body.metrics.num_steps, 1);
    }
    const info = await client.taskInfo([3]);
    assert.equal(info[0]!.task_metadata.split, 'train');
    assert.ok(['easy', 'medium', 'hard'].includes(info[0]!.task_metadata.difficulty as string));
    const meta = await client.info();
    assert.deepEqual(
      meta.rubrics?.outcome?.criteria.map((c) => c.id),
      ['intent_accuracy', 'tool_usage'],
    );
  });

  it('an unknown dataset or split is a 422', async () => {
    const client = createTaskAppClient({ baseUrl: server.url, apiKey: 'k', retries: 0 });
    await assert.rejects(
      client.rollout({ run_id: 'x', env: { seed: 1, config: { dataset: 'kaggle' } }, policy: {} }),
      /422.*env\.config\.dataset/,
    );
    await assert.rejects(
      client.rollout({ run_id: 'x', env: { seed: 1, config: { split: 'dev' } }, policy: {} }),
      /422.*no split "dev"/,
    );
  });
});

describe('banking77 Hugging Face loader', () => {
  it('pages through the datasets-server rows API into the cache, then reads the cache offline', async () => {
    const rows = Array.from({ length: 130 }, (_, i) => ({
      row_idx: i,
      row: { text: `query ${i}`, label: i % 77 },
      truncated_cells: [],
    }));
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const url = new URL(request.url ?? '/', 'http://x');
      const offset = Number(url.searchParams.get('offset'));
      const length = Number(url.searchParams.get('length'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          features: [],
          rows: rows.slice(offset, offset + length),
          num_rows_total: rows.length,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rows`;
    const cacheDir = mkdtempSync(join(tmpdir(), 'synth-b77-'));
    try {
      const examples = await loadBanking77Split({ split: 'test', source: 'hf', cacheDir, baseUrl });
      assert.equal(examples.length, 130);
      assert.deepEqual(examples[78], { text: 'query 78', label: BANKING77_LABELS[1] });
      assert.equal(requests.length, 2);
      assert.match(requests[0]!, /dataset=PolyAI%2Fbanking77&config=default&split=test&offset=0&length=100/);
      const cached = JSON.parse(readFileSync(join(cacheDir, 'banking77-test.json'), 'utf8')) as unknown[];
      assert.equal(cached.length, 130);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // The server is gone: a fresh lookup (different base URL key) is served from the cache file.
      const again = await loadBanking77Split({
        split: 'test',
        source: 'hf',
        cacheDir,
        baseUrl: `${baseUrl}?again`,
      });
      assert.equal(again.length, 130);
    } finally {
      server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('offline with no cache: a clear error that names the builtin fallback', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'synth-b77-'));
    try {
      await assert.rejects(
        loadBanking77Split({ split: 'train', source: 'hf', cacheDir, baseUrl: 'http://127.0.0.1:9/rows' }),
        (error: Error & { hint?: string }) =>
          /cannot download Banking77 split "train"/.test(error.message) && /builtin/.test(error.hint ?? ''),
      );
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
