import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSeeds } from '../../src/config/seeds.ts';
import { assertReadQuery, runMetadataSql } from '../../src/eval/metadata-sql.ts';
import { readRolloutFigures } from '../../src/eval/metrics.ts';
import { choosePolicy } from '../../src/eval/policy-choice.ts';
import { buildJsonReport } from '../../src/eval/report-files.ts';
import { renderSummary } from '../../src/eval/report-summary.ts';
import { renderResultsTable } from '../../src/eval/report-table.ts';
import { formatSeedList } from '../../src/eval/seeds.ts';
import { describePearson, pearson } from '../../src/eval/stats.ts';
import { summarize } from '../../src/eval/summary.ts';
import type { EvalRunResult, SeedResult } from '../../src/eval/types.ts';

function row(
  seed: number,
  score: number | null,
  judge: number | null,
  extra: Partial<SeedResult> = {},
): SeedResult {
  return {
    seed,
    status: 'ok',
    rolloutId: `r-seed-${seed}`,
    score,
    meanReturn: score,
    outcomeScore: null,
    eventsScore: null,
    latencyMs: 100 + seed,
    verifierScore: judge,
    verdicts:
      judge === null
        ? { qa: { status: 'error', reason: 'judge down', metadata: {} } }
        : {
            qa: {
              status: 'ok',
              scores: { primary: judge, event: null, outcome: judge, criteria: {} },
              reasoning: '',
              metadata: {},
            },
          },
    tokens: 150,
    costUsd: 0.002,
    error: null,
    sessionId: null,
    taskId: null,
    steps: null,
    ...extra,
  };
}

describe('seeds', () => {
  it('parses lists and inclusive ranges as the CLI and TOML write them', () => {
    assert.deepEqual(parseSeeds('0,5,9'), [0, 5, 9]);
    assert.deepEqual(parseSeeds('1-3,7'), [1, 2, 3, 7]);
    assert.equal(parseSeeds('1-100').length, 100);
    assert.throws(() => parseSeeds('5-1', '--seeds'), /--seeds.*starts after it ends/);
    assert.throws(() => parseSeeds('a', '--seeds'), /--seeds/);
  });
  it('prints a long seed list short', () => {
    assert.equal(formatSeedList([0, 1, 2]), '0, 1, 2');
    assert.match(formatSeedList(Array.from({ length: 100 }, (_, i) => i)), /^0, 1, .* 99 \(100 seeds\)$/);
  });
});

describe('Pearson r', () => {
  it('matches a hand-computed value', () => {
    // x = 1,2,3; y = 2,4,7: dx = -1,0,1; dy = -2.33,-0.33,2.67; r = 5 / sqrt(2 * 12.667)
    const result = pearson([1, 2, 3], [2, 4, 7]);
    assert.equal(result.n, 3);
    assert.ok(result.r !== null && Math.abs(result.r - 5 / Math.sqrt(2 * (38 / 3))) < 1e-12);
  });
  it('pairs only seeds where both scores exist', () => {
    assert.equal(pearson([1, 2, null, 4], [1, 2, 3, null]).n, 2);
  });
  it('says why it is undefined', () => {
    const few = pearson([1], [1]);
    assert.deepEqual(few, { r: null, n: 1, reason: 'fewer-than-2-pairs' });
    assert.match(describePearson(few), /need >=2 paired scores/);
    const flat = pearson([1, 1, 1], [0.2, 0.5, 0.9]);
    assert.deepEqual(flat, { r: null, n: 3, reason: 'zero-variance' });
    // 0.7 three times has a float mean of 0.6999999999999998: still a constant judge, not r = -0.00.
    assert.deepEqual(pearson([0.2, 0.5, 0.9], [0.7, 0.7, 0.7]), { r: null, n: 3, reason: 'zero-variance' });
    assert.match(describePearson(flat), /zero variance/);
  });
});

describe('metadata SQL', () => {
  const rows = [
    { seed: 0, difficulty: 'hard' },
    { seed: 1, difficulty: 'easy' },
    { seed: 2, difficulty: 'hard' },
  ];
  it('returns seeds from the seed column, or else the first column', () => {
    assert.deepEqual(runMetadataSql(rows, "SELECT seed FROM tasks WHERE difficulty = 'hard'"), [0, 2]);
    assert.deepEqual(
      runMetadataSql(rows, 'WITH t AS (SELECT seed AS s FROM tasks) SELECT s FROM t ORDER BY s DESC'),
      [2, 1, 0],
    );
  });
  it('refuses anything but one read query', () => {
    for (const sql of [
      'DELETE FROM tasks',
      'INSERT INTO tasks VALUES (9, "x")',
      'SELECT seed FROM tasks; DROP TABLE tasks',
      'PRAGMA query_only = OFF',
      'WITH x AS (SELECT 1) DELETE FROM tasks',
      "ATTACH DATABASE '/tmp/x.db' AS x",
    ]) {
      assert.throws(() => assertReadQuery(sql), /read query|may only read|more than one statement/, sql);
    }
    // A write keyword inside a string literal is data, not a statement.
    assert.deepEqual(
      runMetadataSql([{ seed: 4, note: 'drop table' }], "SELECT seed FROM tasks WHERE note = 'drop table'"),
      [4],
    );
  });
  it('says when a value is not a seed', () => {
    assert.throws(
      () => runMetadataSql(rows, 'SELECT difficulty FROM tasks'),
      /returned "hard" in column difficulty, not a seed/,
    );
  });
});

describe('official score', () => {
  it('is the environment return, not clamped', () => {
    const f = readRolloutFigures({
      metrics: { mean_return: 7, episode_returns: [7], outcome_score: 1, num_steps: 40 },
    });
    assert.equal(f.officialScore, 7);
    assert.equal(f.outcomeScore, 1);
    assert.equal(readRolloutFigures({ metrics: { outcome_score: 0.25 } }).officialScore, 0.25);
    assert.equal(
      readRolloutFigures({ trajectories: [{ steps: [{ reward: 1 }, { reward: 2 }] }] }).officialScore,
      3,
    );
  });
});

describe('policy choice', () => {
  it('runs Crafter scripted offline and asks Banking77 for a model', () => {
    assert.equal(
      choosePolicy({}, { appId: 'grpo-crafter', defaultPolicy: 'scripted' }).policyName,
      'scripted',
    );
    assert.throws(
      () => choosePolicy({}, { appId: 'banking77', policies: ['keyword'] }),
      (e: Error & { hint?: string }) =>
        /banking77 needs an LLM policy/.test(e.message) &&
        /OPENAI_API_KEY/.test(e.hint ?? '') &&
        /--policy keyword/.test(e.hint ?? ''),
    );
    const llm = choosePolicy(
      { model: 'gpt-4o-mini', policyConfig: { temperature: 0.2 } },
      { appId: 'banking77' },
    );
    assert.deepEqual(llm, {
      policyName: 'llm',
      model: 'gpt-4o-mini',
      config: { temperature: 0.2, model: 'gpt-4o-mini' },
    });
    assert.throws(
      () => choosePolicy({ policy: 'greedy' }, { appId: 'banking77', policies: ['keyword'] }),
      /no built-in policy "greedy"/,
    );
    assert.throws(
      () => choosePolicy({ policy: 'llm' }, { appId: 'banking77' }),
      /--policy llm needs a model/,
    );
  });
});

describe('reports', () => {
  const results = [
    row(0, 0.95, 0.9),
    row(1, 0.92, 0.8),
    row(2, null, null, { status: 'error', error: 'boom', tokens: null, costUsd: null }),
  ];
  const run: EvalRunResult = {
    runId: 'r',
    mode: 'direct',
    results,
    skipped: [],
    notRun: [],
    summary: summarize(results),
    interrupted: false,
  };

  it('prints the seed 003 table with an avg row', () => {
    const lines = renderResultsTable(results).split('\n');
    assert.match(
      lines[0] ?? '',
      /^seed \| score \| mean_return \| outcome \| events \| latency_ms \| verifier \| tokens \| cost_usd \| error$/,
    );
    assert.match(lines[1] ?? '', /^-+\+-+/);
    assert.match(
      lines[2] ?? '',
      /^0 +\| 0\.95 +\| 0\.95 +\| - +\| - +\| 100 +\| 0\.9 +\| 150 +\| 0\.002 +\| -$/,
    );
    assert.match(lines[4] ?? '', /^2 .*\| boom$/);
    assert.match(
      lines[5] ?? '',
      /^avg +\| 0\.935 +\| 0\.935 .*\| 101 .*\| 0\.85 +\| 150 +\| 0\.002 +\| 1 failed$/,
    );
    assert.match(renderResultsTable(results, { boxed: true }), /┌/);
  });

  it('prints the official mean, the judge mean and Pearson r with n', () => {
    const lines = renderSummary(run, { model: 'm', split: 'train' });
    assert.equal(lines[0], 'Eval complete: 2 ok, 1 failed; model=m, split=train');
    assert.equal(lines[1], 'Official mean: 0.935');
    assert.equal(lines[2], '[judge qa] mean: 0.85');
    assert.equal(lines[3], '    Pearson r: 1.00 (n=2)');
  });

  it('writes the JSON report of seed 003 without secrets', () => {
    const report = buildJsonReport(run, {
      app_id: 'banking77',
      task_app_url: 'http://localhost:8103',
      env_name: 'banking77',
      policy_name: 'llm',
      policy_config: { model: 'gpt-4', api_key: 'sk-live-secret', api_key_env: 'OPENAI_API_KEY' },
      seeds: [0, 1, 2],
      split: 'train',
      ops: null,
      concurrency: 1,
      run_id: 'r',
      mode: 'direct',
    }) as unknown as {
      config: { policy_config: unknown };
      results: { judge_errors: unknown; judge_scores: Record<string, unknown> }[];
      summary: { pearson: Record<string, unknown> };
    };
    assert.deepEqual(report.config.policy_config, { model: 'gpt-4', api_key_env: 'OPENAI_API_KEY' });
    assert.deepEqual(report.results[0], {
      seed: 0,
      status: 'ok',
      score: 0.95,
      mean_return: 0.95,
      outcome_score: null,
      events_score: null,
      latency_ms: 100,
      verifier_score: 0.9,
      judge_scores: { qa: 0.9 },
      judge_errors: {},
      tokens: 150,
      cost_usd: 0.002,
      error: null,
      session_id: null,
      task_id: null,
      run_id: 'r-seed-0',
    });
    assert.deepEqual(report.results[2]?.judge_errors, { qa: { status: 'error', reason: 'judge down' } });
    assert.equal(report.results[2]?.judge_scores.qa, null);
    assert.deepEqual(report.summary.pearson.qa, { r: 1, n: 2 });
    assert.doesNotMatch(JSON.stringify(report), /sk-live-secret/);
  });
});
