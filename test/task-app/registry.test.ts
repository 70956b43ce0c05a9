import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  clearRegisteredTaskApps,
  getTaskApp,
  listTaskApps,
  registerTaskAppModule,
} from '../../src/apps/registry.ts';
import { createTaskAppClient } from '../../src/task-app/client.ts';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import { BIN, runCli } from '../support/cli.ts';

const DEFINE = fileURLToPath(new URL('../../src/task-app/define.ts', import.meta.url));

describe('task app registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synth-registry-'));
  after(() => {
    clearRegisteredTaskApps();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows banking77 by id, any case', () => {
    assert.equal(getTaskApp('banking77').id, 'banking77');
    assert.equal(getTaskApp('Banking77').id, 'banking77');
    assert.ok(listTaskApps().some((app) => app.id === 'banking77'));
  });

  it('an unknown id lists the known ones', () => {
    assert.throws(() => getTaskApp('nope'), /unknown task app "nope"; known apps: .*banking77/);
  });

  it('registers the apps a module exports, by id and alias', async () => {
    const file = join(dir, 'my-app.ts');
    writeFileSync(
      file,
      `import { defineTaskApp } from ${JSON.stringify(DEFINE)};
export default defineTaskApp({
  id: 'my-app', aliases: ['mine'], name: 'Mine', description: 'mine',
  describeTaskset: () => ({ id: 'my-app' }), taskInfo: () => ({}),
  rollout: (request) => ({ run_id: request.run_id, trajectories: [], branches: {}, aborted: false, ops_executed: 0,
    metrics: { episode_returns: [7], mean_return: 7, num_steps: 0, num_episodes: 1, details: {} } }),
});
`,
    );
    const apps = await registerTaskAppModule(file);
    assert.deepEqual(
      apps.map((app) => app.id),
      ['my-app'],
    );
    assert.equal(getTaskApp('mine').id, 'my-app');
  });

  it('a module with no task app, or a missing one, is a clear error', async () => {
    const empty = join(dir, 'empty.ts');
    writeFileSync(empty, 'export const x = 1;\n');
    await assert.rejects(registerTaskAppModule(empty), /exports no task app/);
    await assert.rejects(registerTaskAppModule(join(dir, 'missing.ts')), /cannot load task app module/);
  });
});

describe('synth-ai serve', () => {
  it('an unknown app id exits 2 naming the known apps', async () => {
    const result = await runCli(['serve', 'nope', '--port', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown task app "nope"; known apps: .*banking77/);
  });

  it('a bad port exits 2', async () => {
    const result = await runCli(['serve', 'banking77', '--port', 'eighty']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port eighty is not a port number/);
  });

  it('serves banking77 on a free port until SIGTERM; warns when no key is set', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.ENVIRONMENT_API_KEY;
    delete env.DEV_ENVIRONMENT_API_KEY;
    delete env.ENVIRONMENT_API_KEY_ALIASES;
    delete env.TASKAPP_TRACING_ENABLED;
    const served = await startServe(['banking77', '--port', '0'], env);
    try {
      assert.match(served.stderr(), /ENVIRONMENT_API_KEY is not set/);
      assert.deepEqual(await (await fetch(`${served.url}/`)).json(), { status: 'ok', service: 'banking77' });
      assert.equal((await fetch(`${served.url}/info`)).status, 503);
    } finally {
      assert.equal(await served.stop(), 0);
    }
  });

  it('--trace-db stores every rollout in that trace DB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-serve-'));
    const db = join(dir, 'traces.db');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ENVIRONMENT_API_KEY: 'serve-key' };
    const served = await startServe(['crafter', '--port', '0', '--trace-db', db], env);
    try {
      assert.match(served.stdout(), /tracing on: sessions written to .*traces\.db/);
      const client = createTaskAppClient({ baseUrl: served.url, apiKey: 'serve-key', retries: 0 });
      const body = await client.rollout({
        run_id: 's1',
        env: { seed: 1 },
        policy: { policy_name: 'random' },
      });
      assert.equal(typeof (body.trace as { session_id?: unknown }).session_id, 'string');
    } finally {
      assert.equal(await served.stop(), 0);
    }
    const store = (await openTraceStore(db))!;
    try {
      assert.equal(await store.countSessions(), 1);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs `synth-ai serve ARGS` and resolves once it prints its URL. */
async function startServe(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--', BIN, 'serve', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match && stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
