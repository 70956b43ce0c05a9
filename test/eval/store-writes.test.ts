/**
 * Eval hands each trace to the store and frees the seed's slot without waiting for the commit; every insert
 * is still settled before the run reports, and a failed one turns its row into an error.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProgressReporter } from '../../src/eval/progress.ts';
import { runEval } from '../../src/eval/run-eval.ts';
import type { EvalProgressEvent } from '../../src/eval/types.ts';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import type { TraceStore } from '../../src/tracing/store.ts';
import { tempDir } from '../tracing/fixtures.ts';
import { type StubTaskApp, startStubTaskApp } from './stub-task-app.ts';

describe('eval trace inserts', () => {
  let stub: StubTaskApp;
  before(async () => {
    stub = await startStubTaskApp((seed) => ({ kind: 'ok', meanReturn: seed }));
  });
  after(() => stub.close());

  it('are all committed or reported before the run returns, even when slow or failing', async () => {
    const real = await openTraceStore(join(tempDir('synth-eval-store-'), 'traces.db'));
    assert.ok(real);
    let inFlight = 0;
    let most = 0;
    // Seed 3's insert fails only once its seed was reported: on a loaded machine its slot can wait for
    // room among the inserts longer than an insert takes, and a failure before the report is in the report.
    let seed3Reported = () => {};
    const seed3Done = new Promise<void>((resolve) => {
      seed3Reported = resolve;
    });
    // Slow inserts (so seeds finish long before their commits), and seed 3's insert fails.
    const slow: TraceStore = {
      ...real,
      async insertSession(trace) {
        most = Math.max(most, ++inFlight);
        try {
          await sleep(40);
          if (trace.metadata.seed === 3) {
            await seed3Done;
            throw new Error('disk full');
          }
          await real.insertSession(trace);
        } finally {
          inFlight--;
        }
      },
    };
    const events: EvalProgressEvent[] = [];
    let printed = '';
    const lines = createProgressReporter(
      { write: (text: string) => (printed += text) } as unknown as NodeJS.WriteStream,
      false,
    );
    const run = await runEval(
      {
        appId: 'stub',
        url: stub.url,
        taskAppApiKey: stub.apiKey,
        seeds: [0, 1, 2, 3, 4, 5, 6, 7],
        concurrency: 2,
        traceStore: slow,
      },
      {
        onProgress: (event) => {
          // What the seed looked like when the event came, not after later changes to its row.
          events.push(event.type === 'start' ? event : { ...event, result: { ...event.result } });
          lines.update(event);
          if (event.type === 'seed-done' && event.result.seed === 3) seed3Reported();
        },
      },
    );
    assert.equal(inFlight, 0, 'no insert still running when runEval returned');
    assert.ok(most > 2, `commits overlapped later rollouts (most in flight: ${most})`);
    // Each slot adds its insert, then waits while 2 x concurrency are in flight: at most 2c + c - 1.
    assert.ok(most <= 5, `inserts in flight stay bounded (saw ${most})`);
    const bySeed = new Map(run.results.map((r) => [r.seed, r]));
    assert.equal(bySeed.get(3)?.status, 'error');
    assert.equal(bySeed.get(3)?.error, 'trace not stored: disk full');
    assert.equal(run.summary.failed, 1);
    // Seed 3 was reported ok before its insert failed; progress then hears that it failed.
    const about3 = events.filter((e) => e.type !== 'start' && e.result.seed === 3);
    assert.deepEqual(
      about3.map((e) => [e.type, e.type === 'start' ? '' : e.result.status]),
      [
        ['seed-done', 'ok'],
        ['seed-store-failed', 'error'],
      ],
    );
    assert.match(printed, /^\[\d\/8\] seed 3 ok /m);
    assert.match(printed, /^seed 3 error=trace not stored: disk full$/m);
    const stored: number[] = [];
    for await (const s of real.listSessions()) stored.push(Number(s.metadata.seed));
    assert.deepEqual(stored.sort(), [0, 1, 2, 4, 5, 6, 7]);
    await real.close();
  });
});
