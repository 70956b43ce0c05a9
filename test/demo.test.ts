import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './support/cli.ts';

describe('synth-ai demo', () => {
  it('runs eval → judge → filter → train offline and leaves every artefact where it says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-demo-'));
    const env = { OPENAI_API_KEY: '', TASKAPP_TRACING_ENABLED: '', SQLD_DB_PATH: '', TURSO_LOCAL_DB_URL: '' };
    const result = await runCli(['demo'], { cwd: dir, env, timeoutMs: 180_000 });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /Eval complete: 8 ok, 0 failed/);
    assert.match(result.stdout, /Wrote \d+ examples -> ft_data\/crafter_demo_sft\.jsonl/);

    const db = join(dir, 'traces/v3/synth_ai.db');
    const rows = execFileSync('sqlite3', [
      db,
      "SELECT COUNT(*), COUNT(json_extract(judge_metadata, '$.primary')), MIN(total_reward) FROM session_traces",
    ])
      .toString()
      .trim();
    const [sessions, judged, minReward] = rows.split('|');
    assert.equal(sessions, '8');
    assert.equal(judged, '8');
    assert.ok(Number(minReward) > 0, `every scripted episode earns reward: ${rows}`);

    const dataset = join(dir, 'ft_data/crafter_demo_sft.jsonl');
    const lines = readFileSync(dataset, 'utf8').trim().split('\n');
    assert.ok(lines.length > 0);
    const first = JSON.parse(lines[0]!);
    assert.equal(first.messages.at(-1).role, 'assistant');
    assert.equal(first.messages.at(-1).tool_calls[0].function.name, 'interact_many');
    const manifest = JSON.parse(readFileSync(`${dataset}.manifest.json`, 'utf8'));
    assert.equal(manifest.output.sha256, createHash('sha256').update(readFileSync(dataset)).digest('hex'));
    assert.equal(manifest.output.lines, lines.length);
    assert.ok(existsSync(join(dir, 'synth-ai-out/demo/sft-checkpoint.json')));
    assert.match(result.stdout, /Evaluated on 5 held-out seeds: mean_return=-?\d/);

    const validate = await runCli(['filter', '--validate', dataset], { cwd: dir });
    assert.equal(validate.code, 0, validate.stdout + validate.stderr);
  });
});
