import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { I } from '../../../src/apps/crafter/constants.ts';
import { daylightAt } from '../../../src/apps/crafter/engine.ts';
import { chunkOf, l1 } from '../../../src/apps/crafter/world.ts';
import { A, clearedEngine, K, M } from './helpers.ts';

// Rule checks against crafter-rules.md §1 and §4 (and Crafter's objects.py/env.py, read for the check).

describe('creatures', () => {
  test('a skeleton killed this step still shoots in its last update (it fails before the fix)', () => {
    let shots = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const e = clearedEngine(seed);
      const { x, y } = e.player;
      const sk = e.world.add(K.skeleton, x + 4, y, 0); // HP 0: killed, removed at the start of its update
      e.stepAction(A.noop);
      assert.equal(sk.alive, false);
      const arrows = e.world.objects.filter((o) => o.alive && o.kind === K.arrow);
      if (arrows.length > 0) {
        shots++;
        assert.deepEqual([arrows[0]!.x, arrows[0]!.y, arrows[0]!.fx], [x + 3, y, -1]);
      }
    }
    // Shooting at L1 4 happens with p 0.5 per step; 24 seeds give a few shots.
    assert.ok(shots >= 4 && shots <= 20, `dying skeletons shot ${shots} times of 24`);
  });

  test('a killed skeleton whose retreat tile is free stops there, as in Crafter (no shot)', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const e = clearedEngine(seed);
      const { x, y } = e.player;
      e.world.add(K.skeleton, x + 2, y, 0);
      e.stepAction(A.noop);
      assert.equal(e.world.objects.filter((o) => o.alive && o.kind === K.arrow).length, 0, `seed ${seed}`);
    }
  });

  test('zombie: hits only at L1 <= 1, 2 damage awake, 7 asleep, then 5 updates of cooldown', () => {
    const e = clearedEngine(3);
    const { x, y } = e.player;
    // Wall the zombie in so it stays adjacent: it can only face the player's tile, which is occupied.
    for (const [dx, dy] of [
      [2, 0],
      [1, -1],
      [1, 1],
    ] as const)
      e.world.setMaterial(x + dx, y + dy, M.stone);
    const z = e.world.add(K.zombie, x + 1, y, 5);
    const health: number[] = [];
    for (let i = 0; i < 7; i++) {
      e.stepAction(A.noop);
      health.push(e.inventory[I.health]!);
      assert.equal(l1(z.x, z.y, x, y), 1);
    }
    assert.deepEqual(health, [7, 7, 7, 7, 7, 7, 5]);
    const s = clearedEngine(3);
    for (const [dx, dy] of [
      [2, 0],
      [1, -1],
      [1, 1],
    ] as const)
      s.world.setMaterial(s.player.x + dx, s.player.y + dy, M.stone);
    s.world.add(K.zombie, s.player.x + 1, s.player.y, 5);
    s.inventory[I.energy] = 5;
    s.stepAction(A.sleep);
    assert.equal(s.inventory[I.health], 2, 'a sleeping player takes 7');
    s.stepAction(A.noop);
    assert.equal(s.sleeping, false, 'damage wakes the player one update later');
  });

  test('zombie: no hit beyond L1 1; it steps toward the player when within 8', () => {
    let closer = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const e = clearedEngine(seed);
      const { x, y } = e.player;
      const z = e.world.add(K.zombie, x + 3, y + 2, 5);
      e.stepAction(A.noop);
      assert.equal(e.inventory[I.health], 9);
      if (l1(z.x, z.y, x, y) < 5) closer++;
    }
    // p(toward) = 0.9 + 0.1 · 2/4 (random steps that happen to approach) = 0.95.
    assert.ok(closer >= 33, `zombie approached in ${closer} of 40`);
  });

  test('objects at L1 >= 18 from the player are frozen; at 17 they update', () => {
    let movedNear = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const e = clearedEngine(seed);
      const { x, y } = e.player;
      for (const [cx, cy] of [
        [x + 18, y],
        [x - 17, y],
      ] as const)
        for (let dx = -1; dx <= 1; dx++)
          for (let dy = -1; dy <= 1; dy++)
            if (e.world.objectAt(cx + dx, cy + dy) === undefined)
              e.world.setMaterial(cx + dx, cy + dy, M.grass);
      const far = e.world.add(K.cow, x + 18, y, 3);
      const near = e.world.add(K.cow, x - 17, y, 3);
      for (let i = 0; i < 9; i++) e.stepAction(A.noop);
      assert.deepEqual([far.x, far.y], [x + 18, y], 'the far cow never moves');
      if (near.x !== x - 17 || near.y !== y) movedNear++;
    }
    assert.ok(movedNear >= 8, `near cow moved in ${movedNear} of 10 runs`);
  });
});

describe('chunk balancing', () => {
  test('integer zombie target int(3.5 − 3·daylight) by time of day (spec table)', () => {
    const target = (t: number): number => Math.trunc(3.5 - 3 * daylightAt(t));
    const expected: [number, number, number][] = [
      [0, 4, 1],
      [5, 115, 0],
      [116, 147, 1],
      [148, 177, 2],
      [178, 242, 3],
      [243, 272, 2],
      [273, 299, 1],
    ];
    for (const [from, to, value] of expected)
      for (let t = from; t <= to; t++) assert.equal(target(t + 300), value, `t=${t}`);
  });

  test('night spawns: only on steps divisible by 10, at L1 >= 6, only in chunks that held an object', () => {
    const e = clearedEngine(5);
    const home = chunkOf(e.player.x, e.player.y);
    // Pretend only the player's chunk ever held an object: no other chunk may be balanced.
    e.world.chunkOrder.length = 0;
    e.world.chunkOrder.push(home);
    e.step = 170;
    const seen = new Set(e.world.objects);
    let spawned = 0;
    while (e.step < 240 && !e.done) {
      e.stepAction(A.noop);
      for (const o of e.world.objects) {
        if (seen.has(o)) continue;
        seen.add(o);
        if (o.kind !== K.zombie) continue;
        spawned++;
        assert.equal(e.step % 10, 0, 'spawned outside a balancing step');
        assert.equal(chunkOf(o.x, o.y), home, 'spawned in a chunk that never held an object');
        assert.equal(e.world.material(o.x, o.y), M.grass);
        assert.ok(l1(o.x, o.y, e.player.x, e.player.y) >= 6, 'spawned too close');
      }
    }
    assert.ok(spawned >= 1, 'the night spawned zombies near the player');
  });
});
