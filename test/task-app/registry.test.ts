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
    const child = spawn(process.execPath, ['--', BIN, 'serve', 'banking77', '--port', '0'], { env });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 30_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    try {
      assert.match(stderr, /ENVIRONMENT_API_KEY is not set/);
      assert.deepEqual(await (await fetch(`${url}/`)).json(), { status: 'ok', service: 'banking77' });
      assert.equal((await fetch(`${url}/info`)).status, 503);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
