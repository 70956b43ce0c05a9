/**
 * Crafter's data tables (crafter-rules.md §5): actions, materials, items, recipes and achievements.
 * Ids are positions in these lists, so the engine can keep them in typed arrays.
 * @module
 */

/** The 17 actions, in id order. */
export const ACTIONS = [
  'noop',
  'move_left',
  'move_right',
  'move_up',
  'move_down',
  'do',
  'sleep',
  'place_stone',
  'place_table',
  'place_furnace',
  'place_plant',
  'make_wood_pickaxe',
  'make_stone_pickaxe',
  'make_iron_pickaxe',
  'make_wood_sword',
  'make_stone_sword',
  'make_iron_sword',
] as const;
export type ActionName = (typeof ACTIONS)[number];

/** Action ids by name. */
export const A = Object.fromEntries(ACTIONS.map((name, i) => [name, i])) as Record<ActionName, number>;

/** Materials; id = index (0 = none / off the map). */
export const MATERIALS = [
  'none',
  'water',
  'grass',
  'stone',
  'path',
  'sand',
  'tree',
  'lava',
  'coal',
  'iron',
  'diamond',
  'table',
  'furnace',
] as const;
export type MaterialName = (typeof MATERIALS)[number];

/** Material ids. */
export const M = {
  none: 0,
  water: 1,
  grass: 2,
  stone: 3,
  path: 4,
  sand: 5,
  tree: 6,
  lava: 7,
  coal: 8,
  iron: 9,
  diamond: 10,
  table: 11,
  furnace: 12,
} as const;

/** Inventory items in Crafter's order (vitals first). */
export const ITEMS = [
  'health',
  'food',
  'drink',
  'energy',
  'sapling',
  'wood',
  'stone',
  'coal',
  'iron',
  'diamond',
  'wood_pickaxe',
  'stone_pickaxe',
  'iron_pickaxe',
  'wood_sword',
  'stone_sword',
  'iron_sword',
] as const;
export type ItemName = (typeof ITEMS)[number];

/** Item ids. */
export const I = Object.fromEntries(ITEMS.map((name, i) => [name, i])) as Record<ItemName, number>;

/** Every item is capped at 9; vitals start at 9, everything else at 0. */
export const ITEM_MAX = 9;

/** The 22 achievements, alphabetical (the order Crafter's analysis uses). */
export const ACHIEVEMENTS = [
  'collect_coal',
  'collect_diamond',
  'collect_drink',
  'collect_iron',
  'collect_sapling',
  'collect_stone',
  'collect_wood',
  'defeat_skeleton',
  'defeat_zombie',
  'eat_cow',
  'eat_plant',
  'make_iron_pickaxe',
  'make_iron_sword',
  'make_stone_pickaxe',
  'make_stone_sword',
  'make_wood_pickaxe',
  'make_wood_sword',
  'place_furnace',
  'place_plant',
  'place_stone',
  'place_table',
  'wake_up',
] as const;
export type AchievementName = (typeof ACHIEVEMENTS)[number];

/** Achievement ids. */
export const ACH = Object.fromEntries(ACHIEVEMENTS.map((name, i) => [name, i])) as Record<
  AchievementName,
  number
>;

/** Object kinds (the semantic ids are 13 + kind). */
export const K = { player: 0, cow: 1, zombie: 2, skeleton: 3, arrow: 4, plant: 5 } as const;
export const KIND_NAMES = ['player', 'cow', 'zombie', 'skeleton', 'arrow', 'plant'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** Semantic-map names: materials 0..12, then objects 13..18 (crafter-rules.md §1). */
export const SEMANTIC_NAMES = [...MATERIALS, ...KIND_NAMES] as const;

/** `do` on a material: required tool, yielded item, success probability, tile left behind, achievement. */
export interface CollectRule {
  require: number;
  item: number;
  probability: number;
  leaves: number;
  achievement: number;
}

const collect = (
  require: ItemName | null,
  item: ItemName,
  probability: number,
  leaves: number,
  achievement: AchievementName,
): CollectRule => ({
  require: require === null ? -1 : I[require],
  item: I[item],
  probability,
  leaves,
  achievement: ACH[achievement],
});

/**
 * Collect rules by material id. A chopped tree becomes grass: checked against Crafter's `crafter/data.yaml`
 * (`collect.tree.leaves: grass` in danijar/crafter and in forks of the released game, e.g. crafter-ood), so
 * trees are used up; the published random agent's collect_wood rate (about 20–25%) agrees with the port.
 */
export const COLLECT: (CollectRule | undefined)[] = [];
COLLECT[M.tree] = collect(null, 'wood', 1, M.grass, 'collect_wood');
COLLECT[M.stone] = collect('wood_pickaxe', 'stone', 1, M.path, 'collect_stone');
COLLECT[M.coal] = collect('wood_pickaxe', 'coal', 1, M.path, 'collect_coal');
COLLECT[M.iron] = collect('stone_pickaxe', 'iron', 1, M.path, 'collect_iron');
COLLECT[M.diamond] = collect('iron_pickaxe', 'diamond', 1, M.path, 'collect_diamond');
COLLECT[M.water] = collect(null, 'drink', 1, M.water, 'collect_drink');
COLLECT[M.grass] = collect(null, 'sapling', 0.1, M.grass, 'collect_sapling');

/** A `place_*` recipe: inventory cost, allowed target materials (bitmask by material id), result. */
export interface PlaceRule {
  uses: [item: number, amount: number][];
  where: number;
  /** Material placed, or -1 for the plant object. */
  material: number;
  achievement: number;
}

const mask = (...ids: number[]): number => ids.reduce((acc, id) => acc | (1 << id), 0);

/** Place rules by action id. */
export const PLACE: Record<number, PlaceRule> = {
  [A.place_stone]: {
    uses: [[I.stone, 1]],
    where: mask(M.grass, M.sand, M.path, M.water, M.lava),
    material: M.stone,
    achievement: ACH.place_stone,
  },
  [A.place_table]: {
    uses: [[I.wood, 2]],
    where: mask(M.grass, M.sand, M.path),
    material: M.table,
    achievement: ACH.place_table,
  },
  [A.place_furnace]: {
    uses: [[I.stone, 4]],
    where: mask(M.grass, M.sand, M.path),
    material: M.furnace,
    achievement: ACH.place_furnace,
  },
  [A.place_plant]: {
    uses: [[I.sapling, 1]],
    where: mask(M.grass),
    material: -1,
    achievement: ACH.place_plant,
  },
};

/** A `make_*` recipe: cost, required nearby materials, tool given. */
export interface MakeRule {
  uses: [item: number, amount: number][];
  nearby: number[];
  gives: number;
  achievement: number;
}

/** Make rules by action id. */
export const MAKE: Record<number, MakeRule> = {
  [A.make_wood_pickaxe]: {
    uses: [[I.wood, 1]],
    nearby: [M.table],
    gives: I.wood_pickaxe,
    achievement: ACH.make_wood_pickaxe,
  },
  [A.make_stone_pickaxe]: {
    uses: [
      [I.wood, 1],
      [I.stone, 1],
    ],
    nearby: [M.table],
    gives: I.stone_pickaxe,
    achievement: ACH.make_stone_pickaxe,
  },
  [A.make_iron_pickaxe]: {
    uses: [
      [I.wood, 1],
      [I.coal, 1],
      [I.iron, 1],
    ],
    nearby: [M.table, M.furnace],
    gives: I.iron_pickaxe,
    achievement: ACH.make_iron_pickaxe,
  },
  [A.make_wood_sword]: {
    uses: [[I.wood, 1]],
    nearby: [M.table],
    gives: I.wood_sword,
    achievement: ACH.make_wood_sword,
  },
  [A.make_stone_sword]: {
    uses: [
      [I.wood, 1],
      [I.stone, 1],
    ],
    nearby: [M.table],
    gives: I.stone_sword,
    achievement: ACH.make_stone_sword,
  },
  [A.make_iron_sword]: {
    uses: [
      [I.wood, 1],
      [I.coal, 1],
      [I.iron, 1],
    ],
    nearby: [M.table, M.furnace],
    gives: I.iron_sword,
    achievement: ACH.make_iron_sword,
  },
};

/** Walkable material masks. */
export const WALK_CREATURE = mask(M.grass, M.sand, M.path);
export const WALK_PLAYER = mask(M.grass, M.sand, M.path, M.lava);
export const WALK_ARROW = mask(M.grass, M.sand, M.path, M.water, M.lava);

/** Directions in Crafter's order: left, right, up, down. */
export const DIRS: readonly (readonly [number, number])[] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];

/** World geometry. */
export const AREA = 64;
export const CHUNK = 12;
export const VIEW_W = 9;
export const VIEW_H = 7;
/** Objects farther than this (L1) from the player are frozen (2 · max(view) with the 9×9 view). */
export const UPDATE_RADIUS = 18;
export const DEFAULT_EPISODE_LENGTH = 10000;
