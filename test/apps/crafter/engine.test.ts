import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACH, I } from '../../../src/apps/crafter/constants.ts';
import { CrafterEngine, daylightAt } from '../../../src/apps/crafter/engine.ts';
import { Rng } from '../../../src/apps/crafter/rng.ts';
import { A, clearedEngine, K, M } from './helpers.ts';

function play(seed: number, steps: number): CrafterEngine {
  const engine = new CrafterEngine({ seed });
  const rng = new Rng(seed, 77);
  for (let i = 0; i < steps && !engine.done; i++) engine.stepAction(rng.randint(17));
  return engine;
}

describe('determinism', () => {
  test('same seed and actions give the same state hash, step by step', () => {
    const a = new CrafterEngine({ seed: 123 });
    const b = new CrafterEngine({ seed: 123 });
    assert.equal(a.stateHash(), b.stateHash());
    const rng = new Rng(5, 5);
    while (!a.done) {
      const action = rng.randint(17);
      const ra = a.stepAction(action);
      const rb = b.stepAction(action);
      assert.deepEqual(ra, rb);
      assert.equal(a.stateHash(), b.stateHash(), `diverged at step ${a.step}`);
    }
    assert.ok(b.done);
  });

  test('different seeds give different worlds', () => {
    const a = new CrafterEngine({ seed: 1 });
    const b = new CrafterEngine({ seed: 2 });
    let differ = 0;
    for (let i = 0; i < a.world.mat.length; i++) if (a.world.mat[i] !== b.world.mat[i]) differ++;
    assert.ok(differ > 500, `only ${differ} tiles differ`);
    assert.notEqual(a.stateHash(), b.stateHash());
  });

  test('an episode replayed from its seed ends in the same state', () => {
    assert.equal(play(9, 400).stateHash(), play(9, 400).stateHash());
  });
});

describe('world generation', () => {
  for (const seed of [0, 1, 2, 3, 4]) {
    test(`seed ${seed}: grass spawn area, all materials present, creatures placed`, () => {
      const engine = new CrafterEngine({ seed });
      const { world, player } = engine;
      assert.deepEqual([player.x, player.y], [32, 32]);
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++) assert.equal(world.material(32 + dx, 32 + dy), M.grass);
      const counts = new Array(13).fill(0);
      for (const m of world.mat) counts[m]++;
      for (const m of [M.water, M.grass, M.stone, M.path, M.sand, M.tree, M.coal])
        assert.ok(counts[m] > 0, `material ${m} missing`);
      assert.ok(counts[M.grass] > 1000, 'mostly grassland');
      assert.equal(counts[M.table] + counts[M.furnace], 0);
      const cows = world.objects.filter((o) => o.kind === K.cow);
      assert.ok(cows.length > 0, 'some cows');
      for (const cow of cows) assert.equal(world.material(cow.x, cow.y), M.grass);
      for (const o of world.objects) assert.equal(world.objectAt(o.x, o.y), o);
    });
  }
});

describe('rules', () => {
  test('a blocked move still turns the player', () => {
    const e = clearedEngine();
    const { x, y } = e.player;
    e.world.setMaterial(x - 1, y, M.stone);
    e.stepAction(A.move_left);
    assert.deepEqual([e.player.x, e.player.y, e.player.fx, e.player.fy], [x, y, -1, 0]);
    e.stepAction(A.move_up);
    assert.deepEqual([e.player.x, e.player.y, e.player.fx, e.player.fy], [x, y - 1, 0, -1]);
  });

  test('do on a tree gives wood, turns it to grass and rewards the first unlock', () => {
    const e = clearedEngine();
    const { x, y } = e.player;
    e.world.setMaterial(x, y + 1, M.tree);
    const out = e.stepAction(A.do);
    assert.equal(e.inventory[I.wood], 1);
    assert.equal(e.world.material(x, y + 1), M.grass);
    assert.deepEqual(out.unlocked, [ACH.collect_wood]);
    assert.equal(out.reward, 1);
    e.world.setMaterial(x, y + 1, M.tree);
    assert.equal(e.stepAction(A.do).reward, 0, 'second unlock gives nothing');
    assert.equal(e.inventory[I.wood], 2);
  });

  test('a table needs 2 wood; crafting needs a table nearby', () => {
    const e = clearedEngine();
    const { x, y } = e.player;
    e.inventory[I.wood] = 1;
    e.stepAction(A.place_table);
    assert.equal(e.world.material(x, y + 1), M.grass, 'no table with 1 wood');
    e.stepAction(A.make_wood_pickaxe);
    assert.equal(e.inventory[I.wood_pickaxe], 0, 'no pickaxe without a table');
    e.inventory[I.wood] = 4;
    e.stepAction(A.place_table);
    assert.equal(e.world.material(x, y + 1), M.table);
    assert.equal(e.inventory[I.wood], 2);
    e.stepAction(A.make_wood_pickaxe);
    assert.equal(e.inventory[I.wood_pickaxe], 1);
    assert.equal(e.inventory[I.wood], 1);
    assert.equal(e.achievements[ACH.make_wood_pickaxe], 1);
    e.stepAction(A.make_stone_pickaxe);
    assert.equal(e.inventory[I.stone_pickaxe], 0, 'stone pickaxe needs stone');
  });

  test('stone needs a wood pickaxe and leaves a path', () => {
    const e = clearedEngine();
    const { x, y } = e.player;
    e.world.setMaterial(x, y + 1, M.stone);
    e.stepAction(A.do);
    assert.equal(e.world.material(x, y + 1), M.stone);
    e.inventory[I.wood_pickaxe] = 1;
    e.stepAction(A.do);
    assert.equal(e.inventory[I.stone], 1);
    assert.equal(e.world.material(x, y + 1), M.path);
  });

  test('sleep needs energy below 9; the player wakes when energy is full', () => {
    const e = clearedEngine();
    e.stepAction(A.sleep);
    assert.equal(e.sleeping, false, 'cannot sleep at full energy');
    e.inventory[I.energy] = 8;
    e.stepAction(A.sleep);
    assert.equal(e.sleeping, true);
    // While asleep a move is replaced by sleep: the player stays put.
    const { x, y } = e.player;
    e.stepAction(A.move_left);
    assert.deepEqual([e.player.x, e.player.y], [x, y]);
    let steps = 0;
    while (e.sleeping && steps++ < 100) e.stepAction(A.noop);
    assert.equal(e.achievements[ACH.wake_up], 1);
    assert.equal(e.inventory[I.energy], 9);
  });

  test('stepping onto lava kills', () => {
    const e = clearedEngine();
    const { x, y } = e.player;
    e.world.setMaterial(x + 1, y, M.lava);
    const out = e.stepAction(A.move_right);
    assert.equal(e.health, 0);
    assert.ok(out.dead && out.done);
    assert.ok(Math.abs(out.reward - -0.9) < 1e-9, 'health 9 → 0 costs 0.9');
    assert.throws(() => e.stepAction(A.noop), /over/);
  });

  test('reward is capped at +1 per step even when two achievements unlock together', () => {
    const e = clearedEngine();
    e.inventory[I.energy] = 8;
    e.stepAction(A.sleep);
    while (e.inventory[I.energy]! < 9) e.stepAction(A.noop);
    // Energy is full: the next update wakes the player (wake_up) and runs the action (collect_wood).
    const { x, y } = e.player;
    e.world.setMaterial(x + e.player.fx, y + e.player.fy, M.tree);
    const out = e.stepAction(A.do);
    assert.deepEqual(out.unlocked.sort(), [ACH.collect_wood, ACH.wake_up].sort());
    assert.equal(out.reward, 1);
  });

  test('inventory is clamped at 9', () => {
    const e = clearedEngine();
    const { x, y } = e.player;
    e.inventory[I.wood] = 9;
    e.world.setMaterial(x, y + 1, M.tree);
    e.stepAction(A.do);
    assert.equal(e.inventory[I.wood], 9);
    assert.equal(e.world.material(x, y + 1), M.grass, 'the tree is still consumed');
    e.world.setMaterial(x, y + 1, M.water);
    e.inventory[I.drink] = 9;
    e.stepAction(A.do);
    assert.equal(e.inventory[I.drink], 9);
  });

  test('a cow takes 3 hits with bare hands and feeds', () => {
    const e = clearedEngine();
    const { x, y } = e.player;
    const cow = e.world.add(K.cow, x, y + 1, 3);
    e.inventory[I.food] = 2;
    // Hold the cow in place: surround it with stone so its random steps fail.
    for (const [dx, dy] of [
      [-1, 1],
      [1, 1],
      [0, 2],
    ])
      e.world.setMaterial(x + dx!, y + dy!, M.stone);
    e.stepAction(A.do);
    e.stepAction(A.do);
    assert.equal(cow.health, 1);
    e.stepAction(A.do);
    assert.equal(e.inventory[I.food], 8);
    assert.equal(e.achievements[ACH.eat_cow], 1);
    assert.equal(cow.alive, false);
  });

  test('daylight follows the formula', () => {
    assert.ok(Math.abs(daylightAt(0) - 0.797) < 1e-3);
    assert.ok(Math.abs(daylightAt(60) - 1) < 1e-9);
    assert.ok(daylightAt(210) < 1e-9);
    assert.ok(Math.abs(daylightAt(300) - daylightAt(0)) < 1e-9);
  });

  test('the episode ends at the step limit', () => {
    const e = clearedEngine();
    const short = new CrafterEngine({ seed: 1, length: 5 });
    let out = short.stepAction(A.noop);
    for (let i = 1; i < 5; i++) out = short.stepAction(A.noop);
    assert.ok(out.truncated && out.done && !out.dead);
    assert.equal(e.done, false);
  });
});
