/**
 * The `scripted` Crafter policy: a goal-directed planner over a remembered map. In priority order it fights
 * adjacent monsters (or flees when weak), drinks, eats cows, sleeps when tired or at night, crafts when a
 * table is near, places tables, furnaces, stone and saplings, gathers wood → stone → coal → iron, and
 * otherwise explores the nearest unseen tiles. Routes come from BFS over known walkable tiles.
 * @module
 */
import { AREA, M } from '../apps/crafter/constants.ts';
import { Rng } from '../apps/crafter/rng.ts';
import type { JsonObject } from '../tracing/types.ts';
import { DX, DY, dirOf, KnownMap, MOVES } from './crafter-map.ts';
import { actionsPerCall, crafterDecision } from './crafter-messages.ts';
import type { Policy, PolicyContext, PolicyDecision } from './types.ts';

interface Creature {
  kind: string;
  dx: number;
  dy: number;
  ripe?: boolean;
}

interface View {
  x: number;
  y: number;
  inv: Record<string, number>;
  done: Set<string>;
  creatures: Creature[];
  blocked: Set<number>;
  night: boolean;
  facing: [number, number];
  /** Health fell since the previous decision. */
  hurt: boolean;
}

const PLACEABLE = new Set<number>([M.grass, M.sand, M.path]);

/** Builds the scripted policy; `config.actions_per_call` (1..8, default 4). */
export function createCrafterScriptedPolicy(options: { seed: number; config?: JsonObject }): Policy {
  const perCall = actionsPerCall(options.config ?? {}, 4);
  const map = new KnownMap();
  const rng = new Rng(options.seed, 0x5c1d);
  let lastPos = -1;
  let lastHealth = 9;
  let stuck = 0;

  const plan = (v: View): string[] => {
    const near = (pred: (m: number) => boolean): boolean => {
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++) if (pred(map.get(v.x + dx, v.y + dy))) return true;
      return false;
    };
    const facedX = v.x + v.facing[0];
    const facedY = v.y + v.facing[1];
    const facedFree = !v.blocked.has(facedX * AREA + facedY);
    /** Walk next to a tile satisfying `target`, face it, then run `finish`. */
    const goTo = (
      target: (x: number, y: number) => boolean,
      finish: string[],
      limit = 4096,
    ): string[] | null => {
      const route = map.route(
        v.x,
        v.y,
        v.blocked,
        (x, y) => [0, 1, 2, 3].some((d) => target(x + DX[d]!, y + DY[d]!)),
        limit,
      );
      if (route === null) return null;
      const moves = route.dirs.map((d) => MOVES[d]!);
      if (moves.length >= perCall) return moves.slice(0, perCall);
      const face = [0, 1, 2, 3].find((d) => target(route.x + DX[d]!, route.y + DY[d]!))!;
      return [...moves, MOVES[face]!, ...finish];
    };
    const material = (m: number) => (x: number, y: number) =>
      map.get(x, y) === m && !v.blocked.has(x * AREA + y);
    const creatureAt = (kinds: string[]) => {
      const cells = new Set(
        v.creatures.filter((c) => kinds.includes(c.kind)).map((c) => (v.x + c.dx) * AREA + v.y + c.dy),
      );
      return (x: number, y: number) => cells.has(x * AREA + y);
    };
    const inv = v.inv;
    const hostile = v.creatures.filter((c) => c.kind === 'zombie' || c.kind === 'skeleton');
    const adjacent = hostile.find((c) => Math.abs(c.dx) + Math.abs(c.dy) === 1);
    if (inv['health']! <= 3) {
      const threat = hostile.find((c) => Math.abs(c.dx) + Math.abs(c.dy) <= 3);
      if (threat !== undefined) {
        const away = [0, 1, 2, 3].filter(
          (d) =>
            map.walkable(v.x + DX[d]!, v.y + DY[d]!) && !v.blocked.has((v.x + DX[d]!) * AREA + v.y + DY[d]!),
        );
        away.sort(
          (a, b) => DX[a]! * threat.dx + DY[a]! * threat.dy - (DX[b]! * threat.dx + DY[b]! * threat.dy),
        );
        if (away.length > 0) return [MOVES[away[0]!]!, MOVES[away[0]!]!];
      }
    }
    if (adjacent !== undefined) return [MOVES[dirOf(adjacent.dx, adjacent.dy)]!, 'do', 'do', 'do'];
    // Hurt with no monster at hand: arrows. Get out of range of every skeleton, onto grass.
    const shooters = v.creatures.filter((c) => c.kind === 'skeleton' || c.kind === 'arrow');
    if (v.hurt && shooters.length > 0) {
      const safe = map.route(
        v.x,
        v.y,
        v.blocked,
        (x, y) =>
          map.get(x, y) === M.grass &&
          shooters.every((c) => Math.abs(v.x + c.dx - x) + Math.abs(v.y + c.dy - y) > 7),
      );
      if (safe !== null && safe.dirs.length > 0) return safe.dirs.slice(0, perCall).map((d) => MOVES[d]!);
    }
    const ripe = v.creatures.find((c) => c.kind === 'plant' && c.ripe);
    if (ripe !== undefined && inv['food']! < 9) {
      const go = goTo(creatureAt(['plant']), ['do'], 200);
      if (go !== null) return go;
    }
    if (inv['drink']! <= 5 || (inv['drink']! < 9 && near((m) => m === M.water))) {
      const go = goTo(material(M.water), Array(Math.min(9 - inv['drink']!, 4)).fill('do'));
      if (go !== null) return go;
    }
    if (inv['food']! <= 5) {
      const go = goTo(creatureAt(['cow']), ['do', 'do', 'do']);
      if (go !== null) return go;
    }
    const calm = hostile.length === 0 && !v.hurt;
    if (inv['energy']! <= 1 || (calm && (inv['energy']! <= 3 || (v.night && inv['energy']! <= 6))))
      return ['sleep'];
    const faced = map.get(facedX, facedY);
    if (inv['sapling']! > 0 && faced === M.grass && facedFree) return ['place_plant'];
    const tableNear = near((m) => m === M.table);
    if (tableNear) {
      const furnaceNear = near((m) => m === M.furnace);
      const crafts: [string, boolean][] = [
        ['make_wood_pickaxe', inv['wood_pickaxe'] === 0 && inv['wood']! >= 1],
        ['make_wood_sword', inv['wood_sword'] === 0 && inv['wood']! >= 1],
        ['make_stone_pickaxe', inv['stone_pickaxe'] === 0 && inv['wood']! >= 1 && inv['stone']! >= 1],
        ['make_stone_sword', inv['stone_sword'] === 0 && inv['wood']! >= 1 && inv['stone']! >= 1],
        [
          'make_iron_pickaxe',
          furnaceNear &&
            inv['iron_pickaxe'] === 0 &&
            inv['wood']! >= 1 &&
            inv['coal']! >= 1 &&
            inv['iron']! >= 1,
        ],
        [
          'make_iron_sword',
          furnaceNear &&
            inv['iron_sword'] === 0 &&
            inv['wood']! >= 1 &&
            inv['coal']! >= 1 &&
            inv['iron']! >= 1,
        ],
      ];
      const craft = crafts.find(([, ok]) => ok);
      if (craft !== undefined) return [craft[0]];
      if (
        !furnaceNear &&
        inv['stone_pickaxe']! > 0 &&
        inv['stone']! >= 4 &&
        PLACEABLE.has(faced) &&
        facedFree
      ) {
        return ['place_furnace'];
      }
    }
    const wantsTable =
      (inv['wood_pickaxe'] === 0 && inv['wood']! >= 4) ||
      (inv['stone_pickaxe'] === 0 && inv['wood_pickaxe']! > 0 && inv['stone']! >= 2 && inv['wood']! >= 2) ||
      (inv['iron']! >= 1 && inv['coal']! >= 1 && inv['wood']! >= 1);
    if (wantsTable && !tableNear) {
      const go = goTo(material(M.table), [], 300);
      if (go !== null) return go;
      if (inv['wood']! >= (inv['wood_pickaxe'] === 0 ? 4 : 4)) {
        if (PLACEABLE.has(faced) && facedFree) return ['place_table'];
        const free = [0, 1, 2, 3].find(
          (d) =>
            map.walkable(v.x + DX[d]!, v.y + DY[d]!) && !v.blocked.has((v.x + DX[d]!) * AREA + v.y + DY[d]!),
        );
        if (free !== undefined) return [MOVES[free]!];
      }
    }
    if (
      inv['stone']! > 0 &&
      !v.done.has('place_stone') &&
      ([M.grass, M.sand, M.path, M.water, M.lava] as number[]).includes(faced) &&
      facedFree
    ) {
      return ['place_stone'];
    }
    const woodTarget = inv['wood_pickaxe'] === 0 ? 5 : inv['stone_pickaxe'] === 0 ? 4 : 3;
    const gather: [number, boolean][] = [
      [M.tree, inv['wood']! < woodTarget],
      [
        M.stone,
        inv['wood_pickaxe']! > 0 &&
          inv['stone']! < (inv['stone_pickaxe']! > 0 && !v.done.has('place_furnace') ? 6 : 3),
      ],
      [M.coal, inv['wood_pickaxe']! > 0 && inv['coal']! < 1],
      [M.iron, inv['stone_pickaxe']! > 0 && inv['iron']! < 1],
      [M.diamond, inv['iron_pickaxe']! > 0],
      [M.tree, inv['wood']! < 6],
    ];
    for (const [m, want] of gather) {
      if (!want) continue;
      const go = goTo(material(m), ['do']);
      if (go !== null) return go;
    }
    if (!v.done.has('collect_sapling') && faced === M.grass && facedFree) return ['do', 'do'];
    const explore = map.route(v.x, v.y, v.blocked, (x, y) =>
      [0, 1, 2, 3].some((d) => map.get(x + DX[d]!, y + DY[d]!) === -1),
    );
    if (explore !== null && explore.dirs.length > 0)
      return explore.dirs.slice(0, perCall).map((d) => MOVES[d]!);
    return [MOVES[rng.randint(4)]!];
  };

  return {
    name: 'scripted',
    async decide(context: PolicyContext): Promise<PolicyDecision> {
      const d = context.observation.data;
      const [x, y] = d['position'] as [number, number];
      map.update(x, y, d['local_view'] as number[][]);
      if (d['sleeping'] === true) return crafterDecision(context, ['noop']);
      const creatures = (d['nearby'] as unknown as Creature[]) ?? [];
      const blocked = new Set(creatures.map((c) => (x + c.dx) * AREA + y + c.dy));
      const view: View = {
        x,
        y,
        inv: d['inventory'] as Record<string, number>,
        done: new Set(d['achievements'] as string[]),
        creatures,
        blocked,
        night: d['night'] === true,
        facing: d['facing'] as [number, number],
        hurt: (d['health'] as number) < lastHealth,
      };
      lastHealth = d['health'] as number;
      const pos = x * AREA + y;
      stuck = pos === lastPos ? stuck + 1 : 0;
      lastPos = pos;
      let actions = plan(view).slice(0, perCall);
      // Standing still for many turns while planning moves means something unseen blocks the way: jiggle.
      if (stuck >= 6 && actions.every((a) => a.startsWith('move_'))) {
        actions = [MOVES[rng.randint(4)]!];
        stuck = 0;
      }
      return crafterDecision(context, actions);
    },
  };
}
