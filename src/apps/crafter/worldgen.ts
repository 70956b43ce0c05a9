/**
 * Terrain and initial creatures (crafter-rules.md §1), from OpenSimplex noise seeded by the episode PRNG.
 * Uniform draws happen only where the noise part of a rule passed, as in Crafter, so the PRNG stream
 * after generation depends on the map alone.
 * @module
 */
import { makeNoise3D } from 'open-simplex-noise';
import { AREA, K, M } from './constants.ts';
import type { Rng } from './rng.ts';
import type { World } from './world.ts';

/** Creature hit points at creation. */
export const CREATURE_HEALTH: Record<number, number> = {
  [K.cow]: 3,
  [K.zombie]: 5,
  [K.skeleton]: 3,
  [K.arrow]: 0,
  [K.plant]: 1,
};

/** Fills `world` around the player at (px, py). The player must already be in the world. */
export function generateWorld(world: World, rng: Rng, px: number, py: number): void {
  const noise = makeNoise3D(rng.randint(2 ** 31 - 1));
  const n = (x: number, y: number, z: number, s: number): number => noise(x / s, y / s, z);
  for (let x = 0; x < AREA; x++) {
    for (let y = 0; y < AREA; y++) {
      const i = x * AREA + y;
      const d = Math.hypot(x - px, y - py);
      const start = 1 / (1 + Math.exp(-(4 - d + 2 * n(x, y, 8, 3))));
      const water = n(x, y, 3, 15) + 0.15 * n(x, y, 3, 5) + 0.1 - 2 * start;
      const mountain = (n(x, y, 0, 15) + 0.3 * n(x, y, 0, 5)) / 1.3 - 4 * start - 0.3 * water;
      let material: number;
      if (start > 0.5) {
        material = M.grass;
      } else if (mountain > 0.15) {
        if (n(x, y, 6, 7) > 0.15 && mountain > 0.3) {
          material = M.path;
        } else if (noise((2 * x) / 3, y / 15, 7) > 0.4 || noise(x / 15, (2 * y) / 3, 7) > 0.4) {
          material = M.path;
          world.tunnel[i] = 1;
        } else if (n(x, y, 1, 8) > 0 && rng.uniform() > 0.85) {
          material = M.coal;
        } else if (n(x, y, 2, 6) > 0.4 && rng.uniform() > 0.75) {
          material = M.iron;
        } else if (mountain > 0.18 && rng.uniform() > 0.994) {
          material = M.diamond;
        } else if (mountain > 0.3 && n(x, y, 6, 5) > 0.35) {
          material = M.lava;
        } else {
          material = M.stone;
        }
      } else if (water > 0.25 && water <= 0.35 && n(x, y, 4, 9) > -0.2) {
        material = M.sand;
      } else if (water > 0.3) {
        material = M.water;
      } else {
        material = n(x, y, 5, 7) > 0 && rng.uniform() > 0.8 ? M.tree : M.grass;
      }
      world.mat[i] = material;
    }
  }
  world.countChunkMaterials();
  placeInitialObjects(world, rng, px, py);
}

function placeInitialObjects(world: World, rng: Rng, px: number, py: number): void {
  for (let x = 0; x < AREA; x++) {
    for (let y = 0; y < AREA; y++) {
      const i = x * AREA + y;
      const material = world.mat[i]!;
      if (material !== M.grass && material !== M.sand && material !== M.path) continue;
      if (world.occupant[i] !== undefined) continue;
      const d = Math.hypot(x - px, y - py);
      if (d > 3 && material === M.grass && rng.uniform() > 0.985) {
        world.add(K.cow, x, y, CREATURE_HEALTH[K.cow]!);
      } else if (d > 10 && rng.uniform() > 0.993) {
        world.add(K.zombie, x, y, CREATURE_HEALTH[K.zombie]!);
      } else if (material === M.path && world.tunnel[i] === 1 && rng.uniform() > 0.95) {
        world.add(K.skeleton, x, y, CREATURE_HEALTH[K.skeleton]!);
      }
    }
  }
}
