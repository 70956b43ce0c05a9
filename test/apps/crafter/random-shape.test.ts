import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACHIEVEMENTS } from '../../../src/apps/crafter/constants.ts';
import { CrafterEngine } from '../../../src/apps/crafter/engine.ts';
import { Rng } from '../../../src/apps/crafter/rng.ts';

// Not timed: it checks the coarse shape of 1,000 uniformly random episodes, run on the engine directly.
test('1,000 random episodes: coarse shape of the success rates', () => {
  const episodes = 1000;
  const unlocked = new Array(ACHIEVEMENTS.length).fill(0);
  let deaths = 0;
  let limits = 0;
  for (let seed = 0; seed < episodes; seed++) {
    const engine = new CrafterEngine({ seed });
    const rng = new Rng(seed, 0x5eed);
    let out = engine.stepAction(rng.randint(17));
    while (!out.done) out = engine.stepAction(rng.randint(17));
    if (out.dead) deaths++;
    else if (out.truncated && engine.step === 10000) limits++;
    engine.unlocked.forEach((u, i) => {
      unlocked[i] += u;
    });
  }
  assert.equal(deaths + limits, episodes, 'every episode ends by death or the step limit');
  const rate = Object.fromEntries(ACHIEVEMENTS.map((a, i) => [a, unlocked[i] / episodes]));
  assert.ok(rate['wake_up']! > 0.5, `wake_up ${rate['wake_up']}`);
  assert.ok(rate['collect_sapling']! > 0.3, `collect_sapling ${rate['collect_sapling']}`);
  assert.ok(rate['collect_wood']! > 0.15, `collect_wood ${rate['collect_wood']}`);
  assert.ok(rate['place_plant']! > 0.2, `place_plant ${rate['place_plant']}`);
  for (const a of ['make_iron_pickaxe', 'make_iron_sword', 'collect_diamond']) assert.equal(rate[a], 0, a);
  assert.ok(rate['place_table']! < 0.1 && rate['eat_cow']! < 0.2, 'crafting and hunting stay rare');
});
