import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRubricVerifier } from '../../src/eval/rubric-verifier.ts';
import { runEval } from '../../src/eval/run-eval.ts';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import type { TraceStore } from '../../src/tracing/store.ts';
import { type StubTaskApp, startStubTaskApp } from './stub-task-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'synth-eval-run-'));
const stubs: StubTaskApp[] = [];
const stores: TraceStore[] = [];
after(async () => {
  for (const s of stubs) await s.close();
  for (const s of stores) await s.close();
});

async function store(name: string): Promise<TraceStore> {
  const s = await openTraceStore(join(dir, name));
  assert.ok(s);
  stores.push(s);
  return s;
}

async function stub(...args: Parameters<typeof startStubTaskApp>): Promise<StubTaskApp> {
  const s = await startStubTaskApp(...args);
  stubs.push(s);
  return s;
}

describe('runEval against a task app on 127.0.0.1', () => {
  it('stores each trace with the selection keys, keeps the official score unclamped, and reports a failing seed as a row', async () => {
    const app = await stub((seed) =>
      seed === 2
        ? { kind: 'fail', status: 500, message: 'env exploded' }
        : { kind: 'ok', meanReturn: seed * 2.5, outcome: 0.5, tokens: 10 + seed, costUsd: 0.001 },
    );
    const traces = await store('a.db');
    const tracesDir = join(dir, 'traces-a');
    const run = await runEval(
      {
        appId: 'stub',
        url: app.url,
        taskAppApiKey: app.apiKey,
        seeds: [0, 1, 2, 3],
        split: 'test',
        policy: { policy: 'scripted' },
        concurrency: 2,
        runId: 'run-a',
        traceStore: traces,
        tracesDir,
        judge: [createRubricVerifier('rubric')],
      },
      {},
    );
    assert.deepEqual(
      run.results.map((r) => [r.seed, r.status, r.score]),
      [
        [0, 'ok', 0],
        [1, 'ok', 2.5],
        [2, 'error', null],
        [3, 'ok', 7.5],
      ],
    );
    assert.match(run.results[2]?.error ?? '', /500.*env exploded/);
    assert.equal(run.summary.failed, 1);
    assert.equal(run.summary.officialMean, (0 + 2.5 + 7.5) / 3);
    assert.equal(run.results[3]?.tokens, 13);
    // Request shape (reference §3).
    const req = app.requests.find((r) => (r.env as { seed: number }).seed === 1) as unknown as {
      run_id: string;
      env: { config: unknown };
      policy: { policy_name: string };
      record: unknown;
      mode: string;
    };
    assert.equal(req.run_id, 'run-a-seed-1');
    assert.deepEqual(req.env.config, { split: 'test', index: 1 });
    assert.equal(req.policy.policy_name, 'scripted');
    assert.deepEqual(req.record, { trajectories: true, return_trace: true, trace_format: 'full' });
    assert.equal(req.mode, 'eval');
    // Stored traces carry the keys the filter selects on, and the verdict.
    const stored = [];
    for await (const s of traces.listSessions()) stored.push(s);
    assert.equal(stored.length, 3);
    const seed3 = stored.find((s) => s.metadata.seed === 3);
    assert.ok(seed3);
    assert.deepEqual(
      { ...seed3.metadata, from_app: undefined },
      {
        from_app: undefined,
        task_id: 'stub_dataset',
        task_split: 'test',
        model: null,
        policy_name: 'scripted',
        seed: 3,
        env_name: 'stub',
        official_score: 7.5,
        eval_run_id: 'run-a',
        rollout_id: 'run-a-seed-3',
      },
    );
    assert.equal(seed3.judge_metadata?.primary, 0.5);
    assert.equal((seed3.judge_metadata?.rubric as { status?: string } | undefined)?.status, 'ok');
    assert.equal(await traces.countSessions({ splits: ['test'] }), 3);
    assert.equal(await traces.countSessions({ splits: ['train'] }), 0);
    assert.equal(await traces.countSessions({ minOfficialScore: 5 }), 1);
    assert.deepEqual(readdirSync(tracesDir).sort(), [
      'seed_0_trace.json',
      'seed_1_trace.json',
      'seed_3_trace.json',
    ]);
    const file = JSON.parse(readFileSync(join(tracesDir, 'seed_1_trace.json'), 'utf8'));
    assert.equal(file.metadata.seed, 1);
    assert.equal(file.judge_metadata.primary, 0.5);
  });

  it('cancels a rollout past its timeout and reports it, while other seeds finish', async () => {
    const app = await stub((seed) => (seed === 1 ? { kind: 'hang' } : { kind: 'ok', meanReturn: 1 }));
    const run = await runEval({
      appId: 'stub',
      url: app.url,
      taskAppApiKey: app.apiKey,
      seeds: [0, 1, 2],
      policy: { policy: 'random' },
      concurrency: 3,
      timeoutMs: 300,
      traceStore: null,
    });
    assert.deepEqual(
      run.results.map((r) => r.status),
      ['ok', 'timeout', 'ok'],
    );
    assert.match(run.results[1]?.error ?? '', /timed out after 0\.3s/);
    // The HTTP request was really cancelled: the app saw its client go away.
    for (let i = 0; i < 50 && app.aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(app.aborted, [1]);
  });

  it('reports every seed after the task app dies mid-run', async () => {
    const app = await stub((seed) => (seed === 1 ? { kind: 'die' } : { kind: 'ok', meanReturn: 1 }));
    const run = await runEval({
      appId: 'stub',
      url: app.url,
      taskAppApiKey: app.apiKey,
      seeds: [0, 1, 2, 3],
      policy: { policy: 'random' },
      traceStore: null,
    });
    assert.deepEqual(
      run.results.map((r) => r.status),
      ['ok', 'error', 'error', 'error'],
    );
    assert.match(run.results[3]?.error ?? '', /cannot reach task app at http:\/\/127\.0\.0\.1/);
    assert.equal(run.summary.failed, 3);
  });

  it('stops on abort: finished traces are kept, the rest are reported cancelled', async () => {
    const controller = new AbortController();
    const app = await stub((seed) => (seed >= 2 ? { kind: 'hang' } : { kind: 'ok', meanReturn: 1 }));
    const traces = await store('abort.db');
    const run = await runEval(
      {
        appId: 'stub',
        url: app.url,
        taskAppApiKey: app.apiKey,
        seeds: [0, 1, 2, 3],
        policy: { policy: 'random' },
        traceStore: traces,
        runId: 'run-abort',
      },
      {
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'seed-done' && e.result.seed === 1) setTimeout(() => controller.abort(), 20);
        },
      },
    );
    assert.equal(run.interrupted, true);
    assert.deepEqual(
      run.results.map((r) => r.status),
      ['ok', 'ok', 'cancelled'],
    );
    assert.deepEqual(run.notRun, [3]);
    assert.equal(await traces.countSessions(), 2);
  });

  it('--resume skips the seeds already stored for the same run id', async () => {
    const app = await stub(() => ({ kind: 'ok', meanReturn: 1 }));
    const traces = await store('resume.db');
    const base = {
      appId: 'stub',
      url: app.url,
      taskAppApiKey: app.apiKey,
      policy: { policy: 'random' },
      traceStore: traces,
    };
    await runEval({ ...base, seeds: [0, 1], runId: 'run-r' });
    await runEval({ ...base, seeds: [0], runId: 'other-run' });
    app.requests.length = 0;
    const run = await runEval({ ...base, seeds: [0, 1, 2, 3], runId: 'run-r', resume: true });
    assert.deepEqual(run.skipped, [0, 1]);
    assert.deepEqual(
      run.results.map((r) => r.seed),
      [2, 3],
    );
    assert.deepEqual(app.requests.map((r) => (r.env as { seed: number }).seed).sort(), [2, 3]);
    await assert.rejects(runEval({ ...base, resume: true }), /--resume needs the run id/);
  });

  it('selects seeds by metadata: split, KEY=VALUE and a read-only SQL query stack', async () => {
    const app = await stub(() => ({ kind: 'ok', meanReturn: 1 }));
    const base = {
      appId: 'stub',
      url: app.url,
      taskAppApiKey: app.apiKey,
      policy: { policy: 'random' },
      traceStore: null,
    };
    const hard = await runEval({ ...base, split: 'train', metadata: [['difficulty', 'HARD']] });
    assert.deepEqual(
      hard.results.map((r) => r.seed),
      [0, 3, 6],
    );
    const sql = await runEval({
      ...base,
      split: 'train',
      metadata: [['difficulty', 'hard']],
      metadataSql: 'SELECT seed FROM tasks WHERE seed > 2',
    });
    assert.deepEqual(
      sql.results.map((r) => r.seed),
      [3, 6],
    );
    const test = await runEval({ ...base, split: 'test', metadataSql: 'select seed from tasks' });
    assert.deepEqual(
      test.results.map((r) => r.seed),
      [7, 8, 9],
    );
    await assert.rejects(runEval({ ...base, metadataSql: 'DELETE FROM tasks' }), /must be a read query/);
    await assert.rejects(
      runEval({ ...base, metadata: [['colour', 'red']] }),
      (e: Error & { hint?: string }) => {
        assert.match(e.message, /--metadata colour: the taskset has no such key/);
        assert.match(e.hint ?? '', /difficulty/);
        return true;
      },
    );
  });
});
