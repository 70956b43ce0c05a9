import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.ts';
import { startJudgeMock } from './support/judge-mock.ts';
import { storeWith } from './support/store.ts';
import { episodeWith } from './support/traces.ts';

async function db(n: number) {
  const { file, store } = await storeWith(
    Array.from({ length: n }, (_, i) => episodeWith(`c${i}`, i % 3, 5 + i)),
  );
  await store.close();
  return file;
}

describe('synth-ai judge', () => {
  it('grades with the programmatic rubric by default (offline) and reports', async () => {
    const file = await db(3);
    const r = await runCli(['judge', '--db', file, '--rubric', 'crafter/bundle@v1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ok 3, error 0/);
    const n = execFileSync(
      'sqlite3',
      [
        file,
        "SELECT COUNT(*) FROM session_traces WHERE json_extract(judge_metadata, '$.primary') IS NOT NULL",
      ],
      { encoding: 'utf8' },
    );
    assert.equal(n.trim(), '3');
    const rep = await runCli(['judge', '--db', file, '--report', '--json']);
    assert.equal(rep.code, 0, rep.stderr);
    const judges = JSON.parse(rep.stdout).judges as { judge: string; paired: number }[];
    assert.deepEqual(judges.map((j) => j.judge).sort(), ['primary', 'programmatic']);
  });

  it('--dry-run prints calls, tokens and cost and calls nothing', async () => {
    const mock = await startJudgeMock();
    try {
      const file = await db(4);
      const r = await runCli([
        'judge',
        '--db',
        file,
        '--provider',
        mock.openaiBaseURL,
        '--model',
        'gpt-4o-mini',
        '--dry-run',
        '--json',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.estimate.calls, 4);
      assert.ok(out.estimate.inputTokens > 0 && out.estimate.costUsd > 0);
      assert.equal(mock.requests.length, 0);
    } finally {
      await mock.close();
    }
  });

  it('reads [eval.judge] from a config and names missing keys in one line', async () => {
    const mock = await startJudgeMock(0.7);
    try {
      const file = await db(2);
      const { writeFileSync } = await import('node:fs');
      const cfg = `${file}.toml`;
      writeFileSync(
        cfg,
        `[eval.judge]\nenabled = true\nprovider = "${mock.openaiBaseURL}"\nmodel = "gpt-4o-mini"\nrubric_id = "crafter/bundle@v1"\n`,
      );
      const r = await runCli(['judge', '--db', file, '--config', cfg]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /ok 2/);
      const bad = await runCli(['judge', '--db', file, '--provider', 'openai', '--model', 'gpt-4o-mini'], {
        env: { OPENAI_API_KEY: '' },
      });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /OPENAI_API_KEY is not set/);
      const noDb = await runCli(['judge']);
      assert.equal(noDb.code, 2);
      assert.match(noDb.stderr, /--db/);
    } finally {
      await mock.close();
    }
  });
});
