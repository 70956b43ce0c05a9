/**
 * The player's update (crafter-rules.md §2–§3): sleeping, the action, vital counters, clamping and the
 * delayed wake-up on damage.
 * @module
 */
import { A, ACH, COLLECT, DIRS, I, ITEM_MAX, K, M, MAKE, PLACE, WALK_PLAYER } from './constants.ts';
import type { CrafterEngine } from './engine.ts';
import type { Entity } from './world.ts';
import { CREATURE_HEALTH } from './worldgen.ts';

/** Applies one action to the player; `action` is an id in 0..16. */
export function updatePlayer(engine: CrafterEngine, action: number): void {
  const inv = engine.inventory;
  const player = engine.player;
  if (engine.sleeping) {
    if (inv[I.energy]! < ITEM_MAX) {
      action = A.sleep;
    } else {
      engine.sleeping = false;
      engine.achievements[ACH.wake_up]!++;
    }
  }
  const tx = player.x + player.fx;
  const ty = player.y + player.fy;
  if (action >= A.move_left && action <= A.move_down) {
    const [dx, dy] = DIRS[action - A.move_left]!;
    player.fx = dx;
    player.fy = dy;
    const nx = player.x + dx;
    const ny = player.y + dy;
    if (engine.world.isFree(nx, ny, WALK_PLAYER)) {
      engine.world.move(player, nx, ny);
      if (engine.world.material(nx, ny) === M.lava) inv[I.health] = 0;
    }
  } else if (action === A.do) {
    const target = engine.world.objectAt(tx, ty);
    if (target !== undefined) hit(engine, target);
    else collect(engine, tx, ty);
  } else if (action === A.sleep) {
    if (inv[I.energy]! < ITEM_MAX) engine.sleeping = true;
  } else if (action >= A.place_stone && action <= A.place_plant) {
    place(engine, action, tx, ty);
  } else if (action >= A.make_wood_pickaxe) {
    make(engine, action);
  }
  updateVitals(engine);
  for (let i = 0; i < inv.length; i++) {
    if (inv[i]! < 0) inv[i] = 0;
    else if (inv[i]! > ITEM_MAX) inv[i] = ITEM_MAX;
  }
  // Damage dealt by creatures lands after this update, so its wake-up shows one update later.
  if (inv[I.health]! < engine.lastHealth) engine.sleeping = false;
  engine.lastHealth = inv[I.health]!;
}

function hit(engine: CrafterEngine, target: Entity): void {
  const inv = engine.inventory;
  if (target.kind === K.plant) {
    if (target.grown > 300) {
      target.grown = 0;
      inv[I.food] = inv[I.food]! + 4;
      engine.achievements[ACH.eat_plant]!++;
    }
    return;
  }
  if (target.kind !== K.zombie && target.kind !== K.skeleton && target.kind !== K.cow) return;
  let damage = 1;
  if (inv[I.wood_sword]! > 0) damage = 2;
  if (inv[I.stone_sword]! > 0) damage = 3;
  if (inv[I.iron_sword]! > 0) damage = 5;
  target.health = Math.max(0, target.health - damage);
  if (target.health > 0) return;
  if (target.kind === K.zombie) engine.achievements[ACH.defeat_zombie]!++;
  else if (target.kind === K.skeleton) engine.achievements[ACH.defeat_skeleton]!++;
  else {
    inv[I.food] = inv[I.food]! + 6;
    engine.hunger = 0;
    engine.achievements[ACH.eat_cow]!++;
  }
}

function collect(engine: CrafterEngine, x: number, y: number): void {
  const material = engine.world.material(x, y);
  if (material === M.water) engine.thirst = 0;
  const rule = COLLECT[material];
  if (rule === undefined) return;
  const inv = engine.inventory;
  if (rule.require >= 0 && inv[rule.require]! < 1) return;
  engine.world.setMaterial(x, y, rule.leaves);
  // One draw per successful attempt, even when the probability is 1: it keeps the stream aligned.
  if (engine.rng.uniform() > rule.probability) return;
  inv[rule.item] = inv[rule.item]! + 1;
  engine.achievements[rule.achievement]!++;
}

function place(engine: CrafterEngine, action: number, x: number, y: number): void {
  const world = engine.world;
  if (world.objectAt(x, y) !== undefined) return;
  const rule = PLACE[action]!;
  const material = world.material(x, y);
  if (((rule.where >> material) & 1) === 0) return;
  const inv = engine.inventory;
  for (const [item, amount] of rule.uses) if (inv[item]! < amount) return;
  for (const [item, amount] of rule.uses) inv[item] = inv[item]! - amount;
  if (rule.material >= 0) world.setMaterial(x, y, rule.material);
  else world.add(K.plant, x, y, CREATURE_HEALTH[K.plant]!);
  engine.achievements[rule.achievement]!++;
}

function make(engine: CrafterEngine, action: number): void {
  const rule = MAKE[action]!;
  const { world, player, inventory: inv } = engine;
  for (const material of rule.nearby) if (!world.nearby(player.x, player.y, 1, material)) return;
  for (const [item, amount] of rule.uses) if (inv[item]! < amount) return;
  for (const [item, amount] of rule.uses) inv[item] = inv[item]! - amount;
  inv[rule.gives] = inv[rule.gives]! + 1;
  engine.achievements[rule.achievement]!++;
}

function updateVitals(engine: CrafterEngine): void {
  const inv = engine.inventory;
  const asleep = engine.sleeping;
  engine.hunger += asleep ? 0.5 : 1;
  if (engine.hunger > 25) {
    engine.hunger = 0;
    inv[I.food] = inv[I.food]! - 1;
  }
  engine.thirst += asleep ? 0.5 : 1;
  if (engine.thirst > 20) {
    engine.thirst = 0;
    inv[I.drink] = inv[I.drink]! - 1;
  }
  engine.fatigue = asleep ? Math.min(engine.fatigue - 1, 0) : engine.fatigue + 1;
  if (engine.fatigue < -10) {
    engine.fatigue = 0;
    inv[I.energy] = inv[I.energy]! + 1;
  }
  if (engine.fatigue > 30) {
    engine.fatigue = 0;
    inv[I.energy] = inv[I.energy]! - 1;
  }
  const needsMet = inv[I.food]! > 0 && inv[I.drink]! > 0 && (inv[I.energy]! > 0 || asleep);
  engine.recover += needsMet ? (asleep ? 2 : 1) : asleep ? -0.5 : -1;
  if (engine.recover > 25) {
    engine.recover = 0;
    inv[I.health] = inv[I.health]! + 1;
  }
  if (engine.recover < -15) {
    engine.recover = 0;
    inv[I.health] = inv[I.health]! - 1;
  }
}
