/** The temporary task app: eval's direct paths to it answer as its loopback port does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startLocalTaskApp } from '../../src/eval/local-server.ts';
import { createTaskAppClient } from '../../src/task-app/client.ts';
import type { RolloutRequestInput } from '../../src/task-app/rollout-contract.ts';

const getJson = async (f: typeof fetch, url: string, key?: string) => {
  const res = await f(url, { headers: key ? { 'x-api-key': key } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const rolloutRequest = (seed: number): RolloutRequestInput => ({
  run_id: `local-test-${seed}`,
  env: { env_name: 'banking77', seed, config: { split: 'train', index: seed } },
  policy: { policy_name: 'keyword', config: {} },
  ops: [],
  record: { trajectories: true, return_trace: true, trace_format: 'full' },
  on_done: 'terminate',
  mode: 'eval',
});

/** A rollout answer with what differs between two runs of the same seed (ids, clocks) blanked. */
function stable(value: unknown): unknown {
  const text = JSON.stringify(value)
    .replace(/"(session_id|call_id|trace_id|span_id)":"[^"]*"/g, '"$1":"-"')
    .replace(/"(created_at|started_at|completed_at|timestamp)":"[^"]*"/g, '"$1":"-"')
    .replace(
      /"(event_time|message_time|latency_ms|timestamp|created_at|elapsed_ms|duration_ms)":[0-9.e+-]+/g,
      '"$1":0',
    );
  return JSON.parse(text);
}

describe('temporary task app', () => {
  it('answers the same through its handler as over its port, keys included; close() frees the port', async () => {
    const lines: string[] = [];
    const local = await startLocalTaskApp('banking77', { onLog: (line) => lines.push(line) });
    try {
      assert.ok(lines.includes(`Starting temporary banking77 server on port ${local.port}...`));
      const direct = await getJson(local.fetch, `${local.url}/info`, local.apiKey);
      const overHttp = await getJson(fetch, `${local.url}/info`, local.apiKey);
      assert.equal(direct.status, 200);
      assert.deepEqual(direct.body, overHttp.body);
      assert.equal((await getJson(local.fetch, `${local.url}/info`)).status, 401);
      assert.equal((await getJson(local.fetch, `${local.url}/info`, 'wrong')).status, 401);
    } finally {
      await local.close();
    }
    await assert.rejects(fetch(`${local.url}/health`), /fetch failed/);
  });

  it('runs rollouts in process with the same answer and the same errors as POST /rollout over HTTP', async () => {
    const local = await startLocalTaskApp('banking77');
    try {
      const overHttp = createTaskAppClient({ baseUrl: local.url, apiKey: local.apiKey, retries: 0 });
      const inProcess = local.client(overHttp);
      const a = await inProcess.rollout(rolloutRequest(7));
      const b = await overHttp.rollout(rolloutRequest(7));
      assert.ok((a.trace as { session_id?: string } | undefined)?.session_id, 'the answer carries the trace');
      assert.deepEqual(stable(a), stable(b));
      assert.notDeepEqual(stable(a), stable(await overHttp.rollout(rolloutRequest(8))), 'the seed matters');

      // A request the route refuses (422) and a policy the app does not have: the same error, worded alike.
      const bad = { ...rolloutRequest(1), env: { seed: 'one' } } as unknown as RolloutRequestInput;
      const unknownPolicy = { ...rolloutRequest(1), policy: { policy_name: 'nope', config: {} } };
      for (const request of [bad, unknownPolicy]) {
        const viaHttp = await overHttp.rollout(request).then(
          () => assert.fail('HTTP rollout should fail'),
          (error: Error & { status?: number }) => error,
        );
        await assert.rejects(inProcess.rollout(request), (error: Error & { status?: number }) => {
          assert.equal(error.message, viaHttp.message);
          assert.equal(error.status, viaHttp.status);
          return true;
        });
      }
      // A caller's stop reaches the rollout and rejects with its reason, as an aborted fetch does.
      const stop = new AbortController();
      stop.abort(new Error('stopped by the caller'));
      await assert.rejects(
        inProcess.rollout(rolloutRequest(2), { signal: stop.signal }),
        /stopped by the caller/,
      );
    } finally {
      await local.close();
    }
  });
});
