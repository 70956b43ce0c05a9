import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, runCli } from '../support/cli.ts';
import { CLEAN, sessions } from './cli-env.ts';
import { type StubTaskApp, startStubTaskApp } from './stub-task-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'synth-eval-cli-'));

describe('synth-ai eval (CLI, child process)', () => {
  let stub: StubTaskApp;
  before(async () => {
    stub = await startStubTaskApp((seed) => {
      if (seed === 2) return { kind: 'fail', status: 500, message: 'seed 2 is cursed' };
      if (seed === 8) return { kind: 'hang' };
      return { kind: 'ok', meanReturn: seed, outcome: seed / 10 };
    });
  });
  after(() => stub.close());
  const env = () => ({ ...CLEAN, ENVIRONMENT_API_KEY: stub.apiKey });

  it('starts banking77 as a temporary server, prints the table, writes the JSON report and stores traces', async () => {
    const db = join(dir, 'b77.db');
    const json = join(dir, 'b77.json');
    const r = await runCli(
      [
        'eval',
        'banking77',
        '--policy',
        'keyword',
        '--seeds',
        '0-2',
        '--trace-db',
        `sqlite+aiosqlite:///${db}`,
        '--output-json',
        json,
        '--split',
        'test',
      ],
      { cwd: dir, env: CLEAN },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Starting temporary banking77 server on port \d+\.\.\.$/m);
    assert.match(r.stderr, /^Evaluating seeds: 0, 1, 2$/m);
    assert.match(r.stderr, /^Stopping temporary server\.\.\.$/m);
    assert.match(r.stdout, /^Official mean: /m);
    assert.match(
      r.stdout,
      /^seed \| score \| mean_return \| outcome \| events \| latency_ms \| verifier \| tokens \| cost_usd \| error$/m,
    );
    assert.match(r.stdout, /^avg +\| /m);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(report.config.app_id, 'banking77');
    assert.equal(report.config.policy_name, 'keyword');
    assert.deepEqual(report.config.seeds, [0, 1, 2]);
    assert.deepEqual(
      report.results.map((x: { seed: number }) => x.seed),
      [0, 1, 2],
    );
    const stored = await sessions(db);
    assert.equal(stored.length, 3);
    for (const s of stored) {
      for (const key of [
        'task_id',
        'task_split',
        'model',
        'policy_name',
        'seed',
        'env_name',
        'official_score',
      ]) {
        assert.ok(key in s.metadata, `metadata.${key}`);
      }
      assert.equal(s.metadata.task_split, 'test');
      assert.equal(s.metadata.policy_name, 'keyword');
    }
  });

  it('Banking77 with no model says which key or flag it needs, before starting anything', async () => {
    const r = await runCli(['eval', 'banking77', '--seeds', '0', '--trace-db', 'none'], {
      cwd: dir,
      env: CLEAN,
    });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /banking77 needs an LLM policy.*--model gpt-4o-mini with OPENAI_API_KEY.*--policy keyword/,
    );
    assert.doesNotMatch(r.stderr, /Starting temporary/);
  });

  it('reads the legacy [eval] format; a failing seed is a row and the run exits 1', async () => {
    const db = join(dir, 'legacy.db');
    const config = join(dir, 'legacy_eval.toml');
    writeFileSync(
      config,
      `[eval]\napp_id = "stub"\nurl = "${stub.url}"\nenv_name = "stubenv"\nseeds = "1-3"\nconcurrency = 2\ntrace_db = "${db}"\n\n[eval.policy_config]\nmodel = "gpt-4"\nprovider = "openai"\ninference_url = "https://api.openai.com/v1"\n\n[eval.env_config]\nsplit = "test"\ndifficulty = "hard"\n`,
    );
    const before = stub.requests.length;
    const r = await runCli(['eval', '--config', config, '--output-txt', join(dir, 'legacy.txt')], {
      cwd: dir,
      env: env(),
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Eval complete: 2 ok, 1 failed; model=gpt-4, split=test/);
    assert.match(r.stdout, /^2 .*seed 2 is cursed$/m);
    const sent = stub.requests.slice(before) as {
      env: { env_name: string; config: unknown };
      policy: { policy_name: string; config: { model: string } };
    }[];
    assert.equal(sent.length, 3);
    assert.deepEqual(sent[0]?.env.config, {
      split: 'test',
      index: (sent[0]?.env as { seed?: number } | undefined)?.seed,
      difficulty: 'hard',
    });
    assert.equal(sent[0]?.env.env_name, 'stubenv');
    assert.equal(sent[0]?.policy.policy_name, 'llm');
    assert.equal(sent[0]?.policy.config.model, 'gpt-4');
    assert.equal((await sessions(db)).length, 2);
    assert.match(readFileSync(join(dir, 'legacy.txt'), 'utf8'), /Official mean: 2\n/);
  });

  it('reads the [prompt_learning] format, found without --config; --seeds on the command line wins', async () => {
    const cwd = mkdtempSync(join(dir, 'pl-'));
    writeFileSync(
      join(cwd, 'stub_gepa.toml'),
      `[prompt_learning]\ntask_app_id = "stub"\ntask_app_url = "${stub.url}"\n\n[prompt_learning.gepa]\nenv_name = "stub"\n\n[prompt_learning.gepa.evaluation]\nseeds = [0, 1, 3]\n`,
    );
    const found = await runCli(['eval', 'stub', '--trace-db', 'none'], { cwd, env: env() });
    assert.equal(found.code, 0, found.stderr);
    assert.match(found.stderr, /Using config: .*stub_gepa\.toml/);
    assert.match(found.stderr, /Evaluating seeds: 0, 1, 3/);
    const flag = await runCli(['eval', 'stub', '--seeds', '4,5', '--trace-db', 'none'], { cwd, env: env() });
    assert.match(flag.stderr, /Evaluating seeds: 4, 5/);
  });

  it("judges each rollout with seed 000's [eval.judge] and stores the verdict in judge_metadata; prints Pearson r", async () => {
    const db = join(dir, 'judged.db');
    const config = join(dir, 'judged.toml');
    writeFileSync(
      config,
      `[eval]\napp_id = "stub"\nurl = "${stub.url}"\nseeds = [1, 3, 4]\ntrace_db = "${db}"\n\n[eval.judge]\nenabled = true\n`,
    );
    const r = await runCli(['eval', '--config', config], { cwd: dir, env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[judge rubric\] mean: 0\.267$/m);
    assert.match(r.stdout, /^ {4}Pearson r: 1\.00 \(n=3\)$/m);
    const stored = await sessions(db);
    assert.deepEqual(stored.map((s) => s.judge_metadata?.primary).sort(), [0.1, 0.3, 0.4]);
  });

  it('cancels a rollout past --timeout and reports it', async () => {
    const r = await runCli(
      ['eval', 'stub', '--url', stub.url, '--seeds', '7,8', '--timeout', '0.5', '--trace-db', 'none'],
      { cwd: dir, env: env() },
    );
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^8 .*timed out after 0\.5s and was cancelled$/m);
    assert.match(r.stdout, /^7 +\| 7 /m);
  });

  it('refuses a --metadata-sql that writes, in one line, exit 2', async () => {
    const r = await runCli(
      ['eval', 'stub', '--url', stub.url, '--metadata-sql', 'DELETE FROM tasks', '--trace-db', 'none'],
      { cwd: dir, env: env() },
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --metadata-sql must be a read query \(SELECT or WITH\), not DELETE/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('Ctrl-C stops cleanly: the temporary server is stopped, finished traces are kept, exit 130', async () => {
    const db = join(dir, 'sigint.db');
    const child = spawn(
      process.execPath,
      ['--', BIN, 'eval', 'banking77', '--policy', 'keyword', '--seeds', '0-5000', '--trace-db', db],
      {
        cwd: dir,
        env: { ...process.env, ...CLEAN, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let stdout = '';
    let sent = false;
    // Read stdout too: an unread pipe fills up and blocks the child.
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!sent && /\[3\/5001\]/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 130, stderr);
    assert.match(stderr, /Interrupted: stopping/);
    assert.match(stderr, /^Stopping temporary server\.\.\.$/m);
    assert.match(stdout, /\(interrupted\)/);
    assert.match(stdout, /^Not run \(stopped first\): \d+ seed\(s\)$/m);
    const stored = await sessions(db);
    assert.ok(stored.length >= 3 && stored.length < 5001, `stored ${stored.length}`);
  });
});
