/**
 * The Crafter engine: one episode, stepped by action id. No rendering and no I/O here, so it runs at
 * hundreds of thousands of steps per second; observation text and images are built on demand elsewhere.
 * @module
 */
import { balanceChunks } from './balance.ts';
import {
  ACHIEVEMENTS,
  AREA,
  DEFAULT_EPISODE_LENGTH,
  I,
  ITEM_MAX,
  ITEMS,
  K,
  UPDATE_RADIUS,
} from './constants.ts';
import { updateObject } from './creatures.ts';
import { updatePlayer } from './player.ts';
import { Rng } from './rng.ts';
import { type Entity, World } from './world.ts';
import { generateWorld } from './worldgen.ts';

/** What one engine step produced. */
export interface EngineStep {
  reward: number;
  /** Achievement ids unlocked for the first time in this episode during this step. */
  unlocked: number[];
  /** Health reached 0. */
  dead: boolean;
  /** The step limit was reached (and the player is alive). */
  truncated: boolean;
  done: boolean;
}

/** Options of one episode. */
export interface EngineOptions {
  seed: number;
  /** Step limit (default 10,000). */
  length?: number;
}

/** Daylight at step `t`: 1 − |cos(π·((t/300) mod 1 + 0.3))|³ (crafter-rules.md §1). */
export function daylightAt(t: number): number {
  return 1 - Math.abs(Math.cos(Math.PI * (((t / 300) % 1) + 0.3))) ** 3;
}

/** One Crafter episode. Build it with a seed; the world is generated in the constructor. */
export class CrafterEngine {
  readonly seed: number;
  readonly length: number;
  readonly rng: Rng;
  readonly world = new World();
  readonly player: Entity;
  readonly inventory = new Int16Array(ITEMS.length);
  /** Unlock counts per achievement id. */
  readonly achievements = new Uint32Array(ACHIEVEMENTS.length);
  /** 1 where the achievement has already given its reward. */
  readonly unlocked = new Uint8Array(ACHIEVEMENTS.length);
  hunger = 0;
  thirst = 0;
  fatigue = 0;
  recover = 0;
  sleeping = false;
  /** Health at the end of the previous player update (wake-up on damage). */
  lastHealth: number;
  /** Health at the end of the previous step (reward). */
  #rewardHealth: number;
  step = 0;
  daylight: number;
  done = false;
  dead = false;
  totalReward = 0;

  constructor(options: EngineOptions) {
    if (!Number.isSafeInteger(options.seed))
      throw new RangeError(`seed must be an integer, got ${options.seed}`);
    this.seed = options.seed;
    this.length = options.length ?? DEFAULT_EPISODE_LENGTH;
    this.rng = new Rng(options.seed, 1);
    for (let i = 0; i < 4; i++) this.inventory[i] = ITEM_MAX;
    const center = AREA >> 1;
    this.player = this.world.add(K.player, center, center, 0);
    this.player.fx = 0;
    this.player.fy = 1;
    generateWorld(this.world, this.rng, center, center);
    this.lastHealth = this.inventory[I.health]!;
    this.#rewardHealth = this.lastHealth;
    this.daylight = daylightAt(0);
  }

  get health(): number {
    return this.inventory[I.health]!;
  }

  /** Applies one action id (0..16). Stepping a finished episode throws. */
  stepAction(action: number): EngineStep {
    if (this.done) throw new Error('the episode is over; build a new engine');
    this.step++;
    this.daylight = daylightAt(this.step);
    const { world, player } = this;
    const snapshot = world.objects.slice();
    for (const obj of snapshot) {
      if (!obj.alive) continue;
      if (obj === player) {
        updatePlayer(this, action);
      } else if (Math.abs(obj.x - player.x) + Math.abs(obj.y - player.y) < UPDATE_RADIUS) {
        updateObject(this, obj);
      }
    }
    if (this.step % 10 === 0) balanceChunks(this);
    world.prune();
    const health = this.inventory[I.health]!;
    let reward = (health - this.#rewardHealth) / 10;
    this.#rewardHealth = health;
    const unlocked: number[] = [];
    for (let i = 0; i < this.achievements.length; i++) {
      if (this.achievements[i]! > 0 && this.unlocked[i] === 0) {
        this.unlocked[i] = 1;
        unlocked.push(i);
      }
    }
    if (unlocked.length > 0) reward += 1;
    this.totalReward += reward;
    this.dead = health <= 0;
    const truncated = !this.dead && this.step >= this.length;
    this.done = this.dead || truncated;
    return { reward, unlocked, dead: this.dead, truncated, done: this.done };
  }

  /** Names of the achievements unlocked so far, alphabetical. */
  unlockedNames(): string[] {
    return ACHIEVEMENTS.filter((_, i) => this.unlocked[i] === 1);
  }

  /** Inventory as a name → count record. */
  inventoryRecord(): Record<string, number> {
    return Object.fromEntries(ITEMS.map((name, i) => [name, this.inventory[i]!]));
  }

  /** A hash of the whole state (FNV-1a over map, objects, player, counters, PRNG), for determinism checks. */
  stateHash(): string {
    let h = 0x811c9dc5;
    const mix = (v: number): void => {
      h = Math.imul(h ^ (v & 0xffff), 0x01000193);
      h = Math.imul(h ^ (v >>> 16), 0x01000193);
    };
    for (const v of this.world.mat) mix(v);
    for (const o of this.world.objects) {
      if (!o.alive) continue;
      mix(o.kind);
      mix(o.x);
      mix(o.y);
      mix(o.health * 16);
      mix(o.cooldown);
      mix(o.reload);
      mix(o.grown);
    }
    for (const v of this.inventory) mix(v);
    for (const v of this.achievements) mix(v);
    for (const v of [this.hunger, this.thirst, this.fatigue, this.recover]) mix(v * 2);
    mix(this.step);
    mix(this.sleeping ? 1 : 0);
    mix(this.player.fx + 2);
    mix(this.player.fy + 2);
    for (const v of this.rng.state()) mix(v);
    return (h >>> 0).toString(16).padStart(8, '0');
  }
}
