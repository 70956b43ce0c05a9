import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACH, I } from '../../../src/apps/crafter/constants.ts';
import { CrafterEngine } from '../../../src/apps/crafter/engine.ts';
import { A, clearedEngine, K, M } from './helpers.ts';

// Rule checks against crafter-rules.md §1–§3 and Crafter's objects.py/worldgen.py (read for the check).

describe('player rules', () => {
  test('vital counters: drink −1 after 21 steps, food after 26, energy after 31 (awake)', () => {
    const e = clearedEngine(2);
    const at: Record<string, number> = {};
    for (let t = 1; t <= 31; t++) {
      e.stepAction(A.noop);
      for (const item of ['drink', 'food', 'energy'] as const)
        if (at[item] === undefined && e.inventory[I[item]]! < 9) at[item] = t;
    }
    assert.deepEqual(at, { drink: 21, food: 26, energy: 31 });
  });

  test('sleep sets sleeping only below 9 energy; asleep, actions become sleep until energy is back', () => {
    const e = clearedEngine(4);
    e.stepAction(A.sleep);
    assert.equal(e.sleeping, false, 'full energy: sleep does nothing');
    e.inventory[I.energy] = 8;
    e.stepAction(A.sleep);
    assert.equal(e.sleeping, true);
    const { x, y } = e.player;
    let steps = 0;
    while (e.sleeping && steps < 50) {
      e.stepAction(A.move_left);
      steps++;
    }
    // Energy +1 after 11 sleeping updates; the wake-up update then runs the chosen action (a move).
    assert.equal(e.achievements[ACH.wake_up], 1);
    assert.equal(steps, 12);
    assert.deepEqual([e.player.x, e.player.y], [x - 1, y], 'only the wake-up step moved');
  });

  test('do on water: drink +1, thirst reset, the tile stays water, one uniform drawn', () => {
    const e = clearedEngine(6);
    const { x, y } = e.player;
    e.world.setMaterial(x, y + 1, M.water);
    for (let i = 0; i < 30; i++) e.stepAction(A.noop);
    assert.equal(e.inventory[I.drink], 8);
    const before = e.rng.state().join();
    e.stepAction(A.do);
    assert.notEqual(e.rng.state().join(), before, 'the collect draw happened');
    assert.equal(e.inventory[I.drink], 9);
    assert.equal(e.thirst, 1, 'reset to 0, then this update adds 1');
    assert.equal(e.world.material(x, y + 1), M.water);
    assert.equal(e.achievements[ACH.collect_drink], 1);
  });

  test('do on a tree: wood every time and the tree becomes grass (data.yaml collect.tree.leaves)', () => {
    const e = clearedEngine(7);
    const { x, y } = e.player;
    e.world.setMaterial(x, y + 1, M.tree);
    e.stepAction(A.do);
    assert.equal(e.inventory[I.wood], 1);
    assert.equal(e.world.material(x, y + 1), M.grass);
    e.stepAction(A.do);
    assert.equal(e.inventory[I.wood], 1, 'nothing left to chop');
  });
});

describe('initial objects', () => {
  test('cows on grass at Euclid > 3, zombies at > 10, skeletons only on tunnel paths', () => {
    let zombies = 0;
    for (let seed = 0; seed < 40; seed++) {
      const e = new CrafterEngine({ seed });
      for (const o of e.world.objects) {
        const d = Math.hypot(o.x - 32, o.y - 32);
        const m = e.world.material(o.x, o.y);
        if (o.kind === K.cow) assert.ok(d > 3 && m === M.grass);
        if (o.kind === K.zombie) {
          zombies++;
          assert.ok(d > 10 && (m === M.grass || m === M.sand || m === M.path));
        }
        if (o.kind === K.skeleton) assert.ok(m === M.path && e.world.tunnel[o.x * 64 + o.y] === 1);
      }
    }
    // About 0.7% of the ~3,000 walkable tiles beyond radius 10 (minus cow tiles): ~15–25 per world.
    assert.ok(zombies / 40 > 8 && zombies / 40 < 35, `initial zombies per world ${zombies / 40}`);
  });
});
