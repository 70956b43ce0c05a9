/**
 * Chunk balancing (crafter-rules.md §1): every 10 steps, per chunk that ever held an object, in the order
 * zombie → skeleton → cow, spawn one creature below the minimum or despawn one above the maximum.
 * It runs on the whole map, while updates only run near the player.
 * @module
 */
import { AREA, K, M } from './constants.ts';
import type { CrafterEngine } from './engine.ts';
import { CHUNKS_PER_SIDE, chunkBounds, chunkOf, type Entity, l1 } from './world.ts';
import { CREATURE_HEALTH } from './worldgen.ts';

interface BalanceRule {
  kind: number;
  material: number;
  spawnDist: number;
  despawnDist: number;
  spawnProb: number;
  despawnProb: number;
  target(space: number, daylight: number): [min: number, max: number];
}

const RULES: BalanceRule[] = [
  {
    kind: K.zombie,
    material: M.grass,
    spawnDist: 6,
    despawnDist: 0,
    spawnProb: 0.3,
    despawnProb: 0.4,
    target: (space, light) => [space < 50 ? 0 : 3.5 - 3 * light, 3.5 - 3 * light],
  },
  {
    kind: K.skeleton,
    material: M.path,
    spawnDist: 7,
    despawnDist: 7,
    spawnProb: 0.1,
    despawnProb: 0.1,
    target: (space) => [space < 6 ? 0 : 1, 2],
  },
  {
    kind: K.cow,
    material: M.grass,
    spawnDist: 5,
    despawnDist: 5,
    spawnProb: 0.01,
    despawnProb: 0.1,
    target: (space, light) => [space < 30 ? 0 : 1, 1.5 + light],
  },
];

/** Runs one balancing pass. */
export function balanceChunks(engine: CrafterEngine): void {
  const { world } = engine;
  // Bucket creatures by chunk once, in creation order. Spawns and despawns of one class during the pass
  // never change another class's count, so the buckets stay valid for the later classes.
  const buckets: Entity[][] = Array.from({ length: CHUNKS_PER_SIDE * CHUNKS_PER_SIDE }, () => []);
  for (const obj of world.objects) {
    if (!obj.alive || obj.kind === K.player || obj.kind === K.arrow || obj.kind === K.plant) continue;
    buckets[chunkOf(obj.x, obj.y)]!.push(obj);
  }
  for (const c of world.chunkOrder) {
    const list = buckets[c]!;
    for (const rule of RULES) balanceClass(engine, c, list, rule);
  }
}

function balanceClass(engine: CrafterEngine, c: number, list: Entity[], rule: BalanceRule): void {
  const { world, rng, player } = engine;
  const space = world.chunkMaterial(c, rule.material);
  const [min, max] = rule.target(space, engine.daylight);
  let n = 0;
  for (const obj of list) if (obj.kind === rule.kind) n++;
  if (n < Math.trunc(min) && rng.uniform() < rule.spawnProb) {
    spawn(engine, c, rule);
  } else if (n > Math.trunc(max) && rng.uniform() < rule.despawnProb) {
    const creatures = list.filter((o) => o.kind === rule.kind);
    const victim = creatures[rng.randint(creatures.length)]!;
    if (l1(victim.x, victim.y, player.x, player.y) >= rule.despawnDist) world.remove(victim);
  }
}

/** Spawns on the k-th tile of the rule's material (x-major order), if it is empty and far enough. */
function spawn(engine: CrafterEngine, c: number, rule: BalanceRule): void {
  const { world, rng, player } = engine;
  const [xmin, xmax, ymin, ymax] = chunkBounds(c);
  let k = rng.randint(world.chunkMaterial(c, rule.material));
  for (let x = xmin; x < xmax; x++) {
    for (let y = ymin; y < ymax; y++) {
      if (world.mat[x * AREA + y] !== rule.material || k-- !== 0) continue;
      if (world.objectAt(x, y) === undefined && l1(x, y, player.x, player.y) >= rule.spawnDist) {
        world.add(rule.kind, x, y, CREATURE_HEALTH[rule.kind]!);
      }
      return;
    }
  }
}
