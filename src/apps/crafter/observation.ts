/**
 * What a policy sees: the text an LLM reads (local 9×7 map with a legend, facing, vitals, inventory,
 * sleep, daylight, nearby creatures, achievements, step) and the structured `data` for programs,
 * rubrics and traces.
 * @module
 */
import type { JsonObject } from '../../tracing/types.ts';
import { ACHIEVEMENTS, I, ITEMS, K, KIND_NAMES, MATERIALS, VIEW_H, VIEW_W } from './constants.ts';
import type { CrafterEngine } from './engine.ts';

/** One-character symbols by semantic id (materials 0..12, then objects 13..18). */
const SYMBOLS = [
  ' ',
  '~',
  '.',
  '#',
  '_',
  ':',
  'T',
  'L',
  'c',
  'i',
  'd',
  '+',
  'F',
  '@',
  'C',
  'Z',
  'S',
  '*',
  'p',
];
const SYMBOL_NAMES = [
  ...MATERIALS.map((m) => (m === 'none' ? 'off-map' : m)),
  'you',
  'cow',
  'zombie',
  'skeleton',
  'arrow',
  'sapling',
];
const RIPE_SYMBOL = 'P';
const DIRECTION_NAMES: Record<string, string> = {
  '-1,0': 'left (west)',
  '1,0': 'right (east)',
  '0,-1': 'up (north)',
  '0,1': 'down (south)',
};

/** Semantic id of a tile: the object on it (13 + kind) or its material. */
export function semanticAt(engine: CrafterEngine, x: number, y: number): number {
  const obj = engine.world.objectAt(x, y);
  return obj !== undefined ? 13 + obj.kind : engine.world.material(x, y);
}

/** Name of a semantic id ("tree", "zombie", "off-map"...). */
export function semanticName(id: number): string {
  return SYMBOL_NAMES[id] ?? 'unknown';
}

/** The 9×7 window around the player as rows (north first) of semantic ids. */
export function localView(engine: CrafterEngine): number[][] {
  const { x: px, y: py } = engine.player;
  const rows: number[][] = [];
  for (let dy = -(VIEW_H >> 1); dy <= VIEW_H >> 1; dy++) {
    const row: number[] = [];
    for (let dx = -(VIEW_W >> 1); dx <= VIEW_W >> 1; dx++) row.push(semanticAt(engine, px + dx, py + dy));
    rows.push(row);
  }
  return rows;
}

function offsetText(dx: number, dy: number): string {
  const parts: string[] = [];
  if (dx !== 0) parts.push(`${Math.abs(dx)} ${dx > 0 ? 'right' : 'left'}`);
  if (dy !== 0) parts.push(`${Math.abs(dy)} ${dy > 0 ? 'down' : 'up'}`);
  return parts.length > 0 ? parts.join(', ') : 'here';
}

interface Nearby {
  kind: string;
  dx: number;
  dy: number;
  ripe?: boolean;
}

function nearbyObjects(engine: CrafterEngine): Nearby[] {
  const { x: px, y: py } = engine.player;
  const out: Nearby[] = [];
  for (const obj of engine.world.objects) {
    if (!obj.alive || obj.kind === K.player) continue;
    const dx = obj.x - px;
    const dy = obj.y - py;
    if (Math.abs(dx) > VIEW_W >> 1 || Math.abs(dy) > VIEW_H >> 1) continue;
    const entry: Nearby = { kind: KIND_NAMES[obj.kind]!, dx, dy };
    if (obj.kind === K.plant) entry.ripe = obj.grown > 300;
    out.push(entry);
  }
  return out.sort((a, b) => Math.abs(a.dx) + Math.abs(a.dy) - Math.abs(b.dx) - Math.abs(b.dy));
}

/** Structured observation (JSON-safe): the `data` of every observation and a trace's `system_state_after`. */
export function observationData(engine: CrafterEngine): JsonObject {
  const { player, inventory: inv } = engine;
  const tx = player.x + player.fx;
  const ty = player.y + player.fy;
  return {
    step: engine.step,
    max_steps: engine.length,
    position: [player.x, player.y],
    facing: [player.fx, player.fy],
    facing_target: semanticName(semanticAt(engine, tx, ty)),
    health: inv[I.health]!,
    food: inv[I.food]!,
    drink: inv[I.drink]!,
    energy: inv[I.energy]!,
    inventory: engine.inventoryRecord(),
    achievements: engine.unlockedNames(),
    achievements_count: engine.unlockedNames().length,
    achievement_counts: Object.fromEntries(ACHIEVEMENTS.map((a, i) => [a, engine.achievements[i]!])),
    sleeping: engine.sleeping,
    daylight: Math.round(engine.daylight * 1000) / 1000,
    night: engine.daylight < 0.5,
    local_view: localView(engine),
    nearby: nearbyObjects(engine).map((n) => ({ ...n })),
    total_reward: Math.round(engine.totalReward * 1000) / 1000,
    dead: engine.dead,
    done: engine.done,
  };
}

/** The observation text an LLM reads. */
export function observationText(engine: CrafterEngine): string {
  const { player, inventory: inv } = engine;
  const view = localView(engine);
  const ripeAt = new Set<string>();
  const nearby = nearbyObjects(engine);
  for (const n of nearby) if (n.kind === 'plant' && n.ripe) ripeAt.add(`${n.dx},${n.dy}`);
  const used = new Set<string>();
  const grid = view.map((row, r) =>
    row
      .map((id, c) => {
        const ripe = ripeAt.has(`${c - (VIEW_W >> 1)},${r - (VIEW_H >> 1)}`);
        const symbol = ripe ? RIPE_SYMBOL : SYMBOLS[id]!;
        used.add(ripe ? 'P=ripe plant' : `${symbol}=${semanticName(id)}`);
        return symbol;
      })
      .join(' '),
  );
  const facing = DIRECTION_NAMES[`${player.fx},${player.fy}`]!;
  const target = semanticName(semanticAt(engine, player.x + player.fx, player.y + player.fy));
  const items = ITEMS.slice(4)
    .map((name) => [name, inv[I[name]]!] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`);
  const unlocked = engine.unlockedNames();
  const light = engine.daylight < 0.5 ? 'night' : 'day';
  const creatures = nearby.map(
    (n) => `${n.kind === 'plant' ? (n.ripe ? 'ripe plant' : 'sapling') : n.kind} ${offsetText(n.dx, n.dy)}`,
  );
  return [
    `=== CRAFTER === step ${engine.step}/${engine.length}, ${light} (daylight ${engine.daylight.toFixed(2)})`,
    `Health ${inv[I.health]}/9, Food ${inv[I.food]}/9, Drink ${inv[I.drink]}/9, Energy ${inv[I.energy]}/9${engine.sleeping ? ' - you are SLEEPING' : ''}${engine.dead ? ' - you DIED' : ''}`,
    `Position (${player.x}, ${player.y}); facing ${facing}: ${target}`,
    `Inventory: ${items.length > 0 ? items.join(', ') : 'empty'}`,
    `Achievements (${unlocked.length}/22): ${unlocked.length > 0 ? unlocked.join(', ') : 'none yet'}`,
    'Map (9 wide x 7 tall, north up, you are @ in the centre):',
    ...grid,
    `Legend: ${[...used].sort().join(', ')}`,
    `Nearby: ${creatures.length > 0 ? creatures.join('; ') : 'no creatures in view'}`,
  ].join('\n');
}
