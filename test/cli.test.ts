import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './support/cli.ts';

describe('cli skeleton', () => {
  it('prints help listing every command and exits 0', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    for (const command of ['eval', 'filter', 'judge', 'train', 'serve', 'demo']) {
      assert.match(result.stdout, new RegExp(`\\b${command}\\b`));
    }
  });

  it('loads only the command it runs, every command for help or a typo, none for --version', async () => {
    const { createProgram } = await import('../src/cli/main.ts');
    const names = async (...args: string[]) =>
      (await createProgram(['node', 'synth-ai', ...args])).commands.map((c) => c.name());
    const all = ['eval', 'filter', 'judge', 'train', 'serve', 'demo'];
    assert.deepEqual(await names('filter', '--db', 'x.db'), ['filter']);
    assert.deepEqual(await names('--verbose', 'judge'), ['judge']);
    assert.deepEqual(await names('--help'), all);
    assert.deepEqual(await names('help', 'filter'), all);
    assert.deepEqual(await names('fliter'), all);
    assert.deepEqual(await names(), all);
    assert.deepEqual(await names('--version'), []);
  });

  it('exits 2 with a did-you-mean on an unknown command', async () => {
    const result = await runCli(['evl']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'evl'/);
    assert.match(result.stderr, /Did you mean eval\?/);
  });

  it('reports a missing env file in one line, exit 2, no stack trace', async () => {
    const result = await runCli(['filter', '--env-file', join(tmpdir(), 'no-such-file.env')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /env file .* cannot be read \(ENOENT\)/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  it('never prints env file values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-cli-'));
    const file = join(dir, 'a.env');
    writeFileSync(file, 'OPENAI_API_KEY=sk-secret-value-123\n');
    const result = await runCli(['judge', '--env-file', file, '--verbose']);
    assert.doesNotMatch(result.stdout + result.stderr, /sk-secret-value-123/);
  });
});
