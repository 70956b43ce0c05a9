import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blendRubricRewards, combineRewards } from '../../src/rl/combine-rewards.ts';

const close = (actual: number | null, expected: number) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);
};

describe('combineRewards reproduces seed 001 §4', () => {
  it('weighted_sum: 5 + (10 * 0.85 * 1.0) = 13.5', () => {
    const r = combineRewards(
      5,
      { status: 'ok', outcome: 0.85 },
      { combineMode: 'weighted_sum', outcomeWeight: 1, eventWeight: 0, judgeScale: 10 },
    );
    close(r.combined, 13.5);
    assert.equal(r.status, 'judged');
    close(r.judge, 8.5);
  });

  it('multiply: 5 * (1.0 * 0.85) = 4.25', () => {
    const r = combineRewards(
      5,
      { status: 'ok', outcome: 0.85 },
      { combineMode: 'multiply', outcomeWeight: 1, eventWeight: 0, judgeScale: 1 },
    );
    close(r.combined, 4.25);
  });

  it('replace: 10 * 0.85 = 8.5, ignoring the environment reward', () => {
    const r = combineRewards(
      5,
      { status: 'ok', outcome: 0.85 },
      { combineMode: 'replace', outcomeWeight: 1, eventWeight: 0, judgeScale: 10 },
    );
    close(r.combined, 8.5);
  });

  it('hybrid event + outcome weights sum the event scores', () => {
    const r = combineRewards(
      2,
      { status: 'ok', outcome: 0.8, events: [0.5, 0.25, 0.25] },
      { combineMode: 'weighted_sum', outcomeWeight: 1, eventWeight: 0.5, judgeScale: 5 },
    );
    // 2 + 5 * (1 * 0.8 + 0.5 * 1.0) = 8.5
    close(r.combined, 8.5);
    close(r.event, 1);
  });

  it('an unjudged trajectory keeps its environment reward and is marked, never scored zero', () => {
    for (const status of ['error', 'abstain', 'sampled_out'] as const) {
      const r = combineRewards(
        3,
        { status, reason: 'timed out' },
        { combineMode: 'replace', outcomeWeight: 1, eventWeight: 0, judgeScale: 10 },
      );
      assert.equal(r.combined, 3);
      assert.equal(r.status, 'env_only');
      assert.equal(r.judge, null);
      assert.match(r.reason ?? '', new RegExp(status));
    }
  });

  it('is NaN-safe: a NaN judge score is unusable, a NaN environment reward is invalid', () => {
    const settings = {
      combineMode: 'weighted_sum',
      outcomeWeight: 1,
      eventWeight: 0,
      judgeScale: 10,
    } as const;
    const nanJudge = combineRewards(1, { status: 'ok', outcome: Number.NaN }, settings);
    assert.equal(nanJudge.status, 'env_only');
    assert.equal(nanJudge.combined, 1);
    const nanEnv = combineRewards(Number.NaN, { status: 'ok', outcome: 0.5 }, settings);
    assert.equal(nanEnv.status, 'invalid');
    assert.equal(nanEnv.combined, null);
    const nanEvent = combineRewards(
      1,
      { status: 'ok', outcome: 0.5, events: [0.1, Number.NaN] },
      {
        ...settings,
        eventWeight: 1,
      },
    );
    assert.equal(nanEvent.status, 'env_only');
  });
});

describe('blendRubricRewards (the original [rubric.weights])', () => {
  it('R = w_env·env + w_event·Σevent + w_outcome·outcome', () => {
    const r = blendRubricRewards(
      4,
      { status: 'ok', outcome: 0.5, events: [0.25, 0.75] },
      { env: 0.2, event: 0.4, outcome: 0.4 },
    );
    // 0.2*4 + 0.4*1.0 + 0.4*0.5 = 1.4
    close(r.combined, 1.4);
  });

  it('keeps w_env·env when the judge abstained', () => {
    const r = blendRubricRewards(
      4,
      { status: 'abstain', reason: 'sampled' },
      { env: 0.2, event: 0.4, outcome: 0.4 },
    );
    close(r.combined, 0.8);
    assert.equal(r.status, 'env_only');
  });
});
