import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CRAFTER_RUBRIC, crafterScoreBand, gradeCrafterTrace } from '../../../src/apps/crafter/rubric.ts';
import { crafterEpisodeFromTrace } from '../../../src/apps/crafter/rubric-episode.ts';
import { createCrafterRandomPolicy } from '../../../src/policies/crafter-random.ts';
import { createCrafterScriptedPolicy } from '../../../src/policies/crafter-scripted.ts';
import { runEpisode } from './episode.ts';

describe('crafter/bundle@v1', () => {
  test('weights sum to 1 and every criterion has a scorer', () => {
    for (const part of [CRAFTER_RUBRIC.outcome, CRAFTER_RUBRIC.events]) {
      assert.ok(Math.abs(part.criteria.reduce((s, c) => s + c.weight, 0) - 1) < 1e-9);
    }
    assert.equal(CRAFTER_RUBRIC.id, 'crafter/bundle@v1');
    assert.equal(Object.keys(CRAFTER_RUBRIC.scoring_guide).length, 5);
  });

  test('grades traces without an LLM: scripted play beats random play', async () => {
    const scripted = gradeCrafterTrace(
      (await runEpisode(createCrafterScriptedPolicy({ seed: 2 }), 2, 600)).trace,
    );
    const random = gradeCrafterTrace(
      (await runEpisode(createCrafterRandomPolicy({ seed: 2 }), 2, 600)).trace,
    );
    for (const grade of [scripted, random]) {
      for (const part of [grade.outcome, grade.events]) {
        assert.ok(part.score >= 0 && part.score <= 1);
        for (const c of part.per_criterion) {
          assert.ok(c.score >= 0 && c.score <= 1, c.id);
          assert.ok(c.reason.length > 0);
        }
      }
    }
    assert.ok(
      scripted.outcome.score > random.outcome.score + 0.2,
      `${scripted.outcome.score} vs ${random.outcome.score}`,
    );
    assert.ok(scripted.events.score > random.events.score);
    const progression = scripted.outcome.per_criterion.find((c) => c.id === 'achievement_progression')!;
    assert.match(progression.reason, /collect_wood/);
  });

  test('invalid actions and malformed calls lower execution quality', async () => {
    const { trace } = await runEpisode(createCrafterRandomPolicy({ seed: 3 }), 3, 30);
    const clean = gradeCrafterTrace(trace).events.per_criterion.find((c) => c.id === 'execution_quality')!;
    assert.equal(clean.score, 1);
    trace.markov_blanket_message_history.push({
      message_type: 'assistant',
      content: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'x',
            type: 'function',
            function: { name: 'interact_many', arguments: '{"actions":["fly","do"]}' },
          },
        ],
      },
      time_record: { event_time: 0 },
      metadata: {},
    });
    const episode = crafterEpisodeFromTrace(trace);
    assert.equal(episode.invalidActions, 1);
    const dirty = gradeCrafterTrace(trace).events.per_criterion.find((c) => c.id === 'execution_quality')!;
    assert.ok(dirty.score < 1);
  });

  test('an empty trace scores low instead of failing', () => {
    const grade = gradeCrafterTrace({
      session_id: 's',
      created_at: '',
      session_time_steps: [],
      event_history: [],
      markov_blanket_message_history: [],
      metadata: {},
      event_rewards: [],
      outcome: null,
      judge_metadata: null,
    });
    assert.ok(grade.outcome.score < 0.3);
    assert.match(crafterScoreBand(grade.outcome.score), /^0\.0-0\.3/);
    assert.match(crafterScoreBand(0.95), /^0\.9-1\.0: Excellent/);
  });
});
