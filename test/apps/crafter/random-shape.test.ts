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
  let steps = 0;
  for (let seed = 0; seed < episodes; seed++) {
    const engine = new CrafterEngine({ seed });
    const rng = new Rng(seed, 0x5eed);
    let out = engine.stepAction(rng.randint(17));
    while (!out.done) out = engine.stepAction(rng.randint(17));
    steps += engine.step;
    if (out.dead) deaths++;
    else if (out.truncated && engine.step === 10000) limits++;
    engine.unlocked.forEach((u, i) => {
      unlocked[i] += u;
    });
  }
  assert.equal(deaths + limits, episodes, 'every episode ends by death or the step limit');
  // Bands around what the port produces (1,000 episodes: binomial sd <= 1.6 points), which matches the
  // published random agent (danijar/crafter scores/crafter_noreward-random.json; see bench/crafter.ts):
  // mean length ~167, wood ~26%, drink ~8%, sapling ~52%, place_plant ~48%, wake_up ~94%, table ~6%.
  const meanLength = steps / episodes;
  assert.ok(meanLength > 150 && meanLength < 190, `mean length ${meanLength}`);
  const rate = Object.fromEntries(ACHIEVEMENTS.map((a, i) => [a, unlocked[i] / episodes]));
  const within = (a: string, lo: number, hi: number): void =>
    assert.ok(rate[a]! >= lo && rate[a]! <= hi, `${a} ${rate[a]} outside [${lo}, ${hi}]`);
  within('wake_up', 0.88, 1);
  within('collect_sapling', 0.4, 0.57);
  within('collect_wood', 0.17, 0.3);
  within('collect_drink', 0.06, 0.14);
  within('place_plant', 0.34, 0.5);
  within('place_table', 0.02, 0.09);
  within('eat_cow', 0, 0.03);
  for (const a of ['make_iron_pickaxe', 'make_iron_sword', 'collect_diamond']) assert.equal(rate[a], 0, a);
});
