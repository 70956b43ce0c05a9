/**
 * Updates of cows, zombies, skeletons, arrows and plants (crafter-rules.md §4), with the PRNG draws in the
 * order of §9. A creature killed by the player is removed at the start of its own update, but the rest of
 * the update still runs (and draws), as in Crafter: its moves report success without moving it, and a dying
 * skeleton can still shoot.
 * @module
 */
import { DIRS, I, K, M, WALK_ARROW, WALK_CREATURE } from './constants.ts';
import type { CrafterEngine } from './engine.ts';
import { type Entity, l1 } from './world.ts';

/** Runs one object's update. */
export function updateObject(engine: CrafterEngine, obj: Entity): void {
  switch (obj.kind) {
    case K.cow:
      updateCow(engine, obj);
      break;
    case K.zombie:
      updateZombie(engine, obj);
      break;
    case K.skeleton:
      updateSkeleton(engine, obj);
      break;
    case K.arrow:
      updateArrow(engine, obj);
      break;
    case K.plant:
      updatePlant(engine, obj);
      break;
  }
}

/**
 * Crafter's move: true when the target tile is free. A zero step targets the creature's own tile, which it
 * occupies, so it fails. A creature killed earlier in its own update is already off the occupancy map: Crafter
 * still reports its move as done (and a skeleton then stops its update) but leaves it where it is.
 */
function tryMove(engine: CrafterEngine, obj: Entity, dx: number, dy: number): boolean {
  const nx = obj.x + dx;
  const ny = obj.y + dy;
  if (!engine.world.isFree(nx, ny, WALK_CREATURE)) return false;
  if (obj.alive) engine.world.move(obj, nx, ny);
  return true;
}

/** Unit step toward the player along one axis: the longer one (`longAxis`, ties → y) or the other one. */
function toward(engine: CrafterEngine, obj: Entity, longAxis: boolean): [number, number] {
  const dx = engine.player.x - obj.x;
  const dy = engine.player.y - obj.y;
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  const alongX = longAxis ? ax > ay : ax <= ay;
  return alongX ? [Math.sign(dx), 0] : [0, Math.sign(dy)];
}

function randomStep(engine: CrafterEngine, obj: Entity): void {
  const [dx, dy] = DIRS[engine.rng.randint(4)]!;
  tryMove(engine, obj, dx, dy);
}

/** Damage to any object; the player's health lives in the inventory. HP never goes below 0. */
export function damage(engine: CrafterEngine, obj: Entity, amount: number): void {
  if (obj.kind === K.player) {
    engine.inventory[I.health] = Math.max(0, engine.inventory[I.health]! - amount);
  } else {
    obj.health = Math.max(0, obj.health - amount);
  }
}

function updateCow(engine: CrafterEngine, obj: Entity): void {
  if (obj.health <= 0) engine.world.remove(obj);
  if (engine.rng.uniform() < 0.5) randomStep(engine, obj);
}

function updateZombie(engine: CrafterEngine, obj: Entity): void {
  if (obj.health <= 0) engine.world.remove(obj);
  const { rng, player } = engine;
  if (l1(obj.x, obj.y, player.x, player.y) <= 8 && rng.uniform() < 0.9) {
    const [dx, dy] = toward(engine, obj, rng.uniform() < 0.8);
    tryMove(engine, obj, dx, dy);
  } else {
    randomStep(engine, obj);
  }
  if (l1(obj.x, obj.y, player.x, player.y) <= 1) {
    if (obj.cooldown > 0) {
      obj.cooldown--;
    } else {
      damage(engine, player, engine.sleeping ? 7 : 2);
      obj.cooldown = 5;
    }
  }
}

function updateSkeleton(engine: CrafterEngine, obj: Entity): void {
  if (obj.health <= 0) engine.world.remove(obj);
  obj.reload = Math.max(0, obj.reload - 1);
  const { rng, player } = engine;
  const dist = l1(obj.x, obj.y, player.x, player.y);
  if (dist <= 3) {
    const [dx, dy] = toward(engine, obj, rng.uniform() < 0.6);
    if (tryMove(engine, obj, -dx, -dy)) return;
  }
  if (dist <= 5 && rng.uniform() < 0.5) {
    shoot(engine, obj);
  } else if (dist <= 8 && rng.uniform() < 0.3) {
    const [dx, dy] = toward(engine, obj, rng.uniform() < 0.6);
    tryMove(engine, obj, dx, dy);
  } else if (rng.uniform() < 0.2) {
    randomStep(engine, obj);
  }
}

/** A skeleton killed this step still shoots during its last update, as in Crafter. */
function shoot(engine: CrafterEngine, obj: Entity): void {
  if (obj.reload > 0) return;
  const [dx, dy] = toward(engine, obj, true);
  if (dx === 0 && dy === 0) return;
  const ax = obj.x + dx;
  const ay = obj.y + dy;
  if (!engine.world.isFree(ax, ay, WALK_ARROW)) return;
  const arrow = engine.world.add(K.arrow, ax, ay, 0);
  arrow.fx = dx;
  arrow.fy = dy;
  obj.reload = 4;
}

function updateArrow(engine: CrafterEngine, obj: Entity): void {
  const world = engine.world;
  const tx = obj.x + obj.fx;
  const ty = obj.y + obj.fy;
  const target = world.objectAt(tx, ty);
  if (target !== undefined) {
    damage(engine, target, 2);
    world.remove(obj);
    return;
  }
  const material = world.material(tx, ty);
  if (((WALK_ARROW >> material) & 1) === 0) {
    world.remove(obj);
    if (material === M.table || material === M.furnace) world.setMaterial(tx, ty, M.path);
    return;
  }
  world.move(obj, tx, ty);
}

function updatePlant(engine: CrafterEngine, obj: Entity): void {
  obj.grown++;
  for (const [dx, dy] of DIRS) {
    const other = engine.world.objectAt(obj.x + dx, obj.y + dy);
    if (
      other !== undefined &&
      (other.kind === K.zombie || other.kind === K.skeleton || other.kind === K.cow)
    ) {
      obj.health = Math.max(0, obj.health - 1);
      break;
    }
  }
  if (obj.health <= 0) engine.world.remove(obj);
}
