/** The temporary task app on its own thread: same port, same key, same answers as over HTTP. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { clearRegisteredTaskApps, registerTaskApp, registerTaskAppModule } from '../../src/apps/registry.ts';
import { startLocalTaskApp } from '../../src/eval/local-server.ts';
import { defineTaskApp } from '../../src/task-app/define.ts';

const DEFINE = fileURLToPath(new URL('../../src/task-app/define.ts', import.meta.url));

/** A module's source: a rollout app that returns a fixed return of 7. */
const appSource = (id: string) => `export default defineTaskApp({
  id: '${id}', name: '${id}', description: 'a test app',
  describeTaskset: () => ({ id: '${id}' }), taskInfo: () => ({}),
  rollout: (request) => ({ run_id: request.run_id, trajectories: [], branches: {}, aborted: false, ops_executed: 0,
    metrics: { episode_returns: [7], mean_return: 7, num_steps: 0, num_episodes: 1, details: {} } }),
});
`;

const getJson = async (f: typeof fetch, url: string, key?: string) => {
  const res = await f(url, { headers: key ? { 'x-api-key': key } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('temporary task app thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synth-app-thread-'));
  after(() => {
    clearRegisteredTaskApps();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a built-in app answers the same through the thread as over its loopback port, keys included', async () => {
    const local = await startLocalTaskApp('banking77', { thread: true });
    try {
      assert.equal(local.onThread, true);
      const viaThread = await getJson(local.fetch, `${local.url}/info`, local.apiKey);
      const viaHttp = await getJson(fetch, `${local.url}/info`, local.apiKey);
      assert.equal(viaThread.status, 200);
      assert.deepEqual(viaThread.body, viaHttp.body);
      assert.equal((await getJson(local.fetch, `${local.url}/info`)).status, 401);
      assert.equal((await getJson(local.fetch, `${local.url}/info`, 'wrong')).status, 401);
    } finally {
      await local.close();
    }
    await assert.rejects(fetch(`${local.url}/health`), /fetch failed/, 'the port is closed after close()');
  });

  it('an app registered from a module runs on a thread; one registered as an object runs here', async () => {
    // .mts: an ES module wherever it lies, whatever package.json is above it.
    const file = join(dir, 'thread-app.mts');
    writeFileSync(
      file,
      `import { defineTaskApp } from ${JSON.stringify(DEFINE)};\n${appSource('thread-app')}`,
    );
    await registerTaskAppModule(file);
    const fromModule = await startLocalTaskApp('thread-app', { thread: true });
    try {
      assert.equal(fromModule.onThread, true);
      const info = await getJson(fromModule.fetch, `${fromModule.url}/info`, fromModule.apiKey);
      assert.equal((info.body.service as { task: { id: string } }).task.id, 'thread-app');
    } finally {
      await fromModule.close();
    }
    registerTaskApp(
      new Function('defineTaskApp', appSource('object-app').replace('export default', 'return'))(
        defineTaskApp,
      ),
    );
    const fromObject = await startLocalTaskApp('object-app', { thread: true });
    try {
      assert.equal(fromObject.onThread, false);
      // An object app cannot be loaded by another thread: it is served here, and answers the same both ways.
      const viaHandler = await getJson(fromObject.fetch, `${fromObject.url}/info`, fromObject.apiKey);
      const viaHttp = await getJson(fetch, `${fromObject.url}/info`, fromObject.apiKey);
      assert.equal(viaHandler.status, 200);
      assert.deepEqual(viaHandler.body, viaHttp.body);
      assert.equal((await getJson(fromObject.fetch, `${fromObject.url}/info`)).status, 401);
    } finally {
      await fromObject.close();
    }
  });
});
