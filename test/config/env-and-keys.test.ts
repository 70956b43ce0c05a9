import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  apiKeyEnvName,
  applyEnvFiles,
  findConfigFile,
  loadConfig,
  loadEnvFiles,
  lookupApiKey,
  resolveApiKey,
} from '../../src/config/index.ts';
import { UsageError } from '../../src/errors.ts';

const SECRET = 'sk-test-do-not-print-0123456789';

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'synth-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('env files', () => {
  test('files merge in order, a later file wins', () => {
    const dir = tempDir({ 'a.env': 'A=1\nB=from-a\n', 'b.env': 'B=from-b\nC=3\n' });
    assert.deepEqual(loadEnvFiles([join(dir, 'a.env'), join(dir, 'b.env')]), { A: '1', B: 'from-b', C: '3' });
    assert.deepEqual(loadEnvFiles([join(dir, 'b.env'), join(dir, 'a.env')]).B, 'from-a');
  });

  test('applyEnvFiles leaves variables already set unless told to override', () => {
    const dir = tempDir({ 'a.env': 'A=file\nB=file\n' });
    const target: NodeJS.ProcessEnv = { A: 'real' };
    assert.deepEqual(applyEnvFiles([join(dir, 'a.env')], { target }), ['B']);
    assert.deepEqual(target, { A: 'real', B: 'file' });
    applyEnvFiles([join(dir, 'a.env')], { target, override: true });
    assert.equal(target.A, 'file');
  });

  test('a missing env file names the file and never a value', () => {
    assert.throws(() => loadEnvFiles(['/nonexistent/.env']), {
      message: 'env file /nonexistent/.env cannot be read (ENOENT)',
    });
  });
});

describe('api keys', () => {
  test('api_key_env or the provider default names the variable', () => {
    assert.equal(apiKeyEnvName({ provider: 'openai' }), 'OPENAI_API_KEY');
    assert.equal(apiKeyEnvName({ provider: 'groq' }), 'GROQ_API_KEY');
    assert.equal(apiKeyEnvName({ provider: 'anthropic' }), 'ANTHROPIC_API_KEY');
    assert.equal(apiKeyEnvName({ provider: 'openai', apiKeyEnv: 'MY_KEY' }), 'MY_KEY');
    assert.equal(resolveApiKey({ provider: 'openai' }, { OPENAI_API_KEY: SECRET }), SECRET);
    assert.equal(lookupApiKey({ provider: 'groq' }, { GROQ_API_KEY: '  ' }), undefined);
  });

  test('a missing key names the variable and --env-file, never a value', () => {
    assert.throws(
      () => resolveApiKey({ apiKeyEnv: 'JUDGE_KEY', purpose: 'the judge "primary"' }, { OTHER: SECRET }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, 'the judge "primary" needs JUDGE_KEY, which is not set');
        assert.match(error.hint ?? '', /--env-file/);
        assert.ok(!error.oneLine().includes(SECRET));
        return true;
      },
    );
    assert.throws(() => resolveApiKey({ provider: 'openai-compatible' }, {}), /has no api_key_env/);
  });

  test("a config's api_key_env resolves from env files: the config's env_file, then --env-file", () => {
    const dir = tempDir({
      'configs/eval.toml': [
        '[eval]',
        'app_id = "grpo-crafter"',
        'env_file = "config.env"',
        '[eval.judge]',
        'provider = "openai"',
        'model = "gpt-4o-mini"',
        'api_key_env = "JUDGE_OPENAI_KEY"',
      ].join('\n'),
      'config.env': `JUDGE_OPENAI_KEY=from-config-file\nONLY_CONFIG=1\n`,
      'cli.env': `JUDGE_OPENAI_KEY=${SECRET}\n`,
    });
    const config = loadConfig('configs/eval.toml', {
      cwd: dir,
      env: { PATH: '/bin' },
      envFiles: ['cli.env'],
    });
    const judge = config.eval!.judge!;
    const key = resolveApiKey({ apiKeyEnv: judge.api_key_env, provider: judge.provider }, config.env);
    assert.equal(key, SECRET, '--env-file loads after the config env_file and wins');
    assert.equal(config.env.ONLY_CONFIG, '1');
    assert.equal(config.env.PATH, '/bin');
    const real = loadConfig('configs/eval.toml', {
      cwd: dir,
      env: { JUDGE_OPENAI_KEY: 'real-env' },
      envFiles: ['cli.env'],
    });
    assert.equal(real.env.JUDGE_OPENAI_KEY, 'real-env', 'a variable already set in the environment wins');
  });
});

describe('findConfigFile', () => {
  test('configs/ first, then cwd; by app_id in the content or the app id in the name', () => {
    const dir = tempDir({
      'configs/a_filter.toml': '[filter]\ndb = "x.db"\n',
      'configs/b_rl_grpo-crafter.toml': '[algorithm]\ntype = "online"\n',
      'configs/c_eval.toml': '[eval]\napp_id = "grpo-crafter"\n',
      'configs/d_eval.toml': '[eval]\napp_id = "banking77"\n',
      'grpo-crafter.toml': '[eval]\nseeds = [1]\n',
      'z.toml': '[prompt_learning]\ntask_app_id = "other-app"\n',
    });
    assert.equal(findConfigFile('grpo-crafter', dir), join(dir, 'configs', 'c_eval.toml'));
    assert.equal(findConfigFile('banking77', dir), join(dir, 'configs', 'd_eval.toml'));
    assert.equal(findConfigFile('other-app', dir), join(dir, 'z.toml'));
    assert.equal(findConfigFile('math', dir), undefined);
    const flat = tempDir({ 'eval_grpo-crafter.toml': '[eval]\nseeds = [1]\n' });
    assert.equal(findConfigFile('grpo-crafter', flat), join(flat, 'eval_grpo-crafter.toml'));
  });

  test('an app id is matched exactly, not as a pattern or a prefix of another id', () => {
    const dir = tempDir({ 'configs/e.toml': '[eval]\napp_id = "grpo-crafter-v2"\n' });
    assert.equal(findConfigFile('grpo-crafter', dir), undefined);
    assert.equal(
      findConfigFile('grpo.crafter', tempDir({ 'e.toml': '[eval]\napp_id = "grpoXcrafter"\n' })),
      undefined,
    );
  });
});
