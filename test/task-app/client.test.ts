import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createTaskAppClient } from '../../src/task-app/client.ts';
import { TaskAppHttpError } from '../../src/task-app/http-error.ts';
import type { RunningTaskAppServer } from '../../src/task-app/start-server.ts';
import { KEY, serve } from './helpers.ts';

/** A scripted HTTP server: answers each request with the next status in `script`, recording headers. */
async function scripted(script: number[]): Promise<{
  url: string;
  hits: () => number;
  headers: () => Record<string, unknown>[];
  close: () => Promise<void>;
}> {
  const seen: Record<string, unknown>[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ ...request.headers });
    const status = script[Math.min(seen.length - 1, script.length - 1)]!;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(
      status === 200
        ? JSON.stringify({ healthy: true, service: 'scripted' })
        : JSON.stringify({ error: { code: `code_${status}`, message: `scripted ${status}` } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => seen.length,
    headers: () => seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('task app client', () => {
  let app: RunningTaskAppServer;
  before(async () => {
    app = await serve();
  });
  after(() => app.close());

  it('talks to a real server: health, info, taskInfo, rollout', async () => {
    const client = createTaskAppClient({ baseUrl: `${app.url}/`, apiKey: KEY });
    assert.equal((await client.health()).healthy, true);
    assert.equal((await client.info()).service.task.id, 'counter');
    assert.deepEqual((await client.taskInfo()).taskset, { id: 'counter', seeds: 'any' });
    const one = await client.taskInfo([7]);
    assert.equal(one.length, 1);
    assert.equal(one[0]!.task_metadata.seed, 7);
    const two = await client.taskInfo([1, 2]);
    assert.deepEqual(
      two.map((info) => info.task_metadata.seed),
      [1, 2],
    );
    const rollout = await client.rollout({
      run_id: 'c1',
      env: { seed: 0 },
      policy: { policy_name: 'press' },
    });
    assert.equal(rollout.metrics.num_steps, 1);
  });

  it('a wrong key is a 401 error, not retried', async () => {
    const client = createTaskAppClient({ baseUrl: app.url, apiKey: 'wrong', backoffMs: 1 });
    await assert.rejects(client.health(), (error: unknown) => {
      assert.ok(error instanceof TaskAppHttpError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'unauthorised');
      return true;
    });
  });

  it('validates the request before sending', async () => {
    const client = createTaskAppClient({ baseUrl: app.url, apiKey: KEY });
    await assert.rejects(
      client.rollout({ run_id: '', env: {}, policy: {} }),
      /rollout request is invalid: run_id/,
    );
  });

  it('retries 5xx with backoff, then succeeds; sends both key headers', async () => {
    const server = await scripted([503, 500, 200]);
    try {
      const client = createTaskAppClient({ baseUrl: server.url, apiKey: 'k1', retries: 3, backoffMs: 1 });
      assert.equal((await client.health()).healthy, true);
      assert.equal(server.hits(), 3);
      const first = server.headers()[0]!;
      assert.equal(first['x-api-key'], 'k1');
      assert.equal(first.authorization, 'Bearer k1');
    } finally {
      await server.close();
    }
  });

  it('gives up after the retries on a persistent 5xx, with the last error', async () => {
    const server = await scripted([502]);
    try {
      const client = createTaskAppClient({ baseUrl: server.url, retries: 2, backoffMs: 1 });
      await assert.rejects(client.health(), (error: unknown) => {
        assert.ok(error instanceof TaskAppHttpError);
        assert.equal(error.status, 502);
        return true;
      });
      assert.equal(server.hits(), 3);
    } finally {
      await server.close();
    }
  });

  it('never retries a 4xx', async () => {
    for (const status of [400, 404, 422, 429]) {
      const server = await scripted([status, 200]);
      try {
        const client = createTaskAppClient({ baseUrl: server.url, retries: 3, backoffMs: 1 });
        await assert.rejects(
          client.health(),
          (error: unknown) => error instanceof TaskAppHttpError && error.status === status,
        );
        assert.equal(server.hits(), 1, `status ${status}`);
      } finally {
        await server.close();
      }
    }
  });

  it('retries connection errors, then reports the unreachable URL', async () => {
    const server = await scripted([200]);
    const url = server.url;
    await server.close();
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const client = createTaskAppClient({ baseUrl: url, retries: 2, backoffMs: 1, fetch: counting });
    await assert.rejects(client.health(), /cannot reach task app at http:\/\/127\.0\.0\.1/);
    assert.equal(calls, 3);
  });

  it('times out a slow answer without retrying it', async () => {
    const server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    try {
      const client = createTaskAppClient({
        baseUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 100,
        retries: 3,
        fetch: counting,
      });
      await assert.rejects(
        client.health(),
        (error: unknown) => error instanceof TaskAppHttpError && error.code === 'timeout',
      );
      assert.equal(calls, 1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
  it('an aborted rollout rejects with the reason at once and is never retried', async () => {
    let hits = 0;
    const server = createServer(() => {
      hits += 1; // Never answers: only the abort can end the call.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const request = { run_id: 'abort', env: { seed: 0 }, policy: { policy_name: 'press' } };
    try {
      const client = createTaskAppClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 3, backoffMs: 1 });
      const controller = new AbortController();
      const reason = new Error('stopped by the caller');
      const pending = client.rollout(request, { signal: controller.signal });
      while (hits === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(reason);
      await assert.rejects(pending, (error: unknown) => error === reason);
      // An already-aborted signal sends nothing.
      await assert.rejects(
        client.rollout(request, { signal: AbortSignal.abort(reason) }),
        (error: unknown) => error === reason,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(hits, 1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('an abort during the backoff after a 5xx ends the call without another attempt', async () => {
    const server = await scripted([503, 200]);
    try {
      const client = createTaskAppClient({ baseUrl: server.url, retries: 3, backoffMs: 60_000 });
      const controller = new AbortController();
      const pending = client.health({ signal: controller.signal });
      while (server.hits() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort(new Error('stop'));
      await assert.rejects(pending, /^Error: stop$/);
      assert.equal(server.hits(), 1);
    } finally {
      await server.close();
    }
  });
});
