import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CRAFTER_JUDGE_RUBRIC, CRAFTER_VERIFIER } from '../../src/judge/crafter-rubric.ts';
import { gradeStore } from '../../src/judge/grade-store.ts';
import { JudgeClient } from '../../src/judge/judge-client.ts';
import { createProgrammaticJudge } from '../../src/judge/programmatic-judge.ts';
import { storeWith } from './support/store.ts';
import { crafterTrace } from './support/traces.ts';

// 4 steps: 3 distinct tiles, 2 achievements, health 9 → 6 at the end, one noop that changed nothing.
const trace = crafterTrace('p1', [
  { action: 'move_left', pos: [1, 1], health: 9 },
  { action: 'do', pos: [2, 1], health: 8, achievements: ['collect_wood'], reward: 1 },
  { action: 'noop', pos: [2, 1], health: 8, achievements: ['collect_wood'] },
  { action: 'place_table', pos: [3, 1], health: 6, achievements: ['collect_wood', 'place_table'], reward: 1 },
]);

describe('programmatic Crafter verifier', () => {
  it('scores the task app criteria by hand-checkable rules', async () => {
    const v = await createProgrammaticJudge(CRAFTER_VERIFIER).prepare(trace, CRAFTER_JUDGE_RUBRIC).run();
    assert.equal(v.status, 'ok');
    if (v.status !== 'ok') return;
    const c = v.scores.criteria;
    // collect_wood (tier 1) + place_table (tier 2) = 3 of 47 tier points; 60% of them is full marks.
    assert.ok(Math.abs(c.achievement_progression!.score - 3 / (0.6 * 47)) < 1e-12);
    assert.ok(Math.abs(c.survival!.score - (0.6 + (0.4 * 6) / 9)) < 1e-12);
    assert.equal(c.exploration?.score, 3 / 100);
    // 2 achievements in 4 steps is far above 8 per 100 steps, and every action was valid.
    assert.equal(c.resource_efficiency?.score, 1);
    assert.equal(c.strategic_planning?.score, 2 / 7);
    const expected =
      0.35 * (3 / (0.6 * 47)) + 0.2 * (0.6 + (0.4 * 6) / 9) + 0.15 * (3 / 100) + 0.15 * 1 + 0.15 * (2 / 7);
    assert.ok(Math.abs(v.scores.primary - expected) < 1e-9, `${v.scores.primary} vs ${expected}`);
    assert.equal(v.scores.outcome, v.scores.primary);
    assert.equal(v.scores.event, null);
    assert.equal(v.metadata.achievements, 2);
    assert.equal(v.metadata.survival_rate, 1);
    assert.equal(v.metadata.exploration_coverage, 3 / 4);
  });

  it('a death scores survival near 0', async () => {
    const dead = crafterTrace('d', [
      { action: 'noop', health: 2 },
      { action: 'noop', health: 0 },
    ]);
    const v = await createProgrammaticJudge(CRAFTER_VERIFIER).prepare(dead, CRAFTER_JUDGE_RUBRIC).run();
    assert.ok(v.status === 'ok' && v.scores.criteria.survival!.score < 0.01);
  });

  it('JudgeClient.scoreEpisode takes trace_data JSON and gives the seed 000 shape', async () => {
    const client = new JudgeClient();
    const result = await client.scoreEpisode(JSON.stringify(trace), { rubricId: 'crafter/bundle@v1' });
    const meta = JSON.parse(result.toJson());
    assert.equal(typeof meta.primary, 'number');
    assert.deepEqual(Object.keys(meta).sort(), [
      'event',
      'judge',
      'metadata',
      'outcome',
      'primary',
      'programmatic',
      'reasoning',
      'status',
    ]);
    assert.equal(meta.metadata.achievements, 2);
  });

  it('runs beside an LLM judge: named entries coexist, the primary stays where it was', async () => {
    const { store } = await storeWith([trace]);
    await store.mergeJudgeMetadata('p1', { primary: 0.42, llm: { status: 'ok', primary: 0.42 } });
    const s = await gradeStore(store, {
      judge: createProgrammaticJudge(CRAFTER_VERIFIER),
      rubric: CRAFTER_JUDGE_RUBRIC,
      primary: false,
    });
    assert.equal(s.ok, 1);
    const got = await store.getSession('p1');
    await store.close();
    assert.equal(got?.judge_metadata?.primary, 0.42);
    const meta = got?.judge_metadata ?? {};
    assert.equal((meta.llm as { primary: number }).primary, 0.42);
    assert.equal(typeof (meta.programmatic as { primary: number }).primary, 'number');
  });
});
