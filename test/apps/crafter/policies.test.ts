import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTIONS } from '../../../src/apps/crafter/constants.ts';
import { createCrafterRandomPolicy } from '../../../src/policies/crafter-random.ts';
import { createCrafterScriptedPolicy } from '../../../src/policies/crafter-scripted.ts';
import { runEpisode } from './episode.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i);
const LENGTH = 1000;

describe('crafter policies', () => {
  test('decisions carry SFT-shaped messages: system, user observation, assistant interact_many call', async () => {
    const { decisions } = await runEpisode(createCrafterScriptedPolicy({ seed: 1 }), 1, 40);
    const d = decisions[0]!;
    assert.deepEqual(
      d.messages.map((m) => m.role),
      ['system', 'user', 'assistant'],
    );
    assert.match(String(d.messages[1]!.content), /=== CRAFTER ===/);
    const call = d.messages[2]!.tool_calls![0]!;
    assert.equal(call, d.toolCalls[0]);
    assert.equal(call.function.name, 'interact_many');
    assert.ok(call.id.length > 0);
    const args = JSON.parse(call.function.arguments) as { actions: string[] };
    assert.ok(args.actions.length >= 1 && args.actions.length <= 8);
    for (const a of args.actions) assert.ok((ACTIONS as readonly string[]).includes(a), a);
    assert.deepEqual(d.llmCalls, []);
  });

  test('random is seeded: same seed, same actions', async () => {
    const a = await runEpisode(createCrafterRandomPolicy({ seed: 4 }), 4, 200);
    const b = await runEpisode(createCrafterRandomPolicy({ seed: 4 }), 4, 200);
    assert.deepEqual(
      a.decisions.map((d) => d.toolCalls[0]!.function.arguments),
      b.decisions.map((d) => d.toolCalls[0]!.function.arguments),
    );
    assert.deepEqual(a.summary, b.summary);
  });

  test('scripted unlocks clearly more achievements than random over 20 seeds', async () => {
    let random = 0;
    let scripted = 0;
    const scriptedSet = new Set<string>();
    for (const seed of SEEDS) {
      random += (await runEpisode(createCrafterRandomPolicy({ seed }), seed, LENGTH)).summary
        .achievements_count;
      const s = (await runEpisode(createCrafterScriptedPolicy({ seed }), seed, LENGTH)).summary;
      scripted += s.achievements_count;
      for (const a of s.metadata['achievements'] as string[]) scriptedSet.add(a);
    }
    random /= SEEDS.length;
    scripted /= SEEDS.length;
    assert.ok(scripted >= random + 5, `scripted ${scripted} vs random ${random}`);
    for (const a of [
      'collect_wood',
      'place_table',
      'make_wood_pickaxe',
      'collect_stone',
      'make_stone_pickaxe',
      'collect_drink',
    ]) {
      assert.ok(scriptedSet.has(a), `scripted never got ${a}`);
    }
  });

  test('bad actions_per_call is refused', () => {
    assert.throws(
      () => createCrafterRandomPolicy({ seed: 1, config: { actions_per_call: 9 } }),
      /actions_per_call/,
    );
  });
});
