/**
 * The scripted Crafter policy's memory of the map: materials seen in earlier views, and breadth-first
 * search over known walkable tiles (lava and unknown tiles are never entered).
 * @module
 */
import { AREA, M, VIEW_H, VIEW_W } from '../apps/crafter/constants.ts';

/** Moves by direction index: left, right, up, down. */
export const MOVES = ['move_left', 'move_right', 'move_up', 'move_down'] as const;
export const DX = [-1, 1, 0, 0] as const;
export const DY = [0, 0, -1, 1] as const;

/** Direction index of a unit offset, or -1. */
export function dirOf(dx: number, dy: number): number {
  if (dx === -1 && dy === 0) return 0;
  if (dx === 1 && dy === 0) return 1;
  if (dx === 0 && dy === -1) return 2;
  if (dx === 0 && dy === 1) return 3;
  return -1;
}

/** A BFS result: the tile reached and the moves (direction indices) that lead there. */
export interface Route {
  x: number;
  y: number;
  dirs: number[];
}

/** What the policy remembers of the world. */
export class KnownMap {
  /** Material per tile (`x * AREA + y`); -1 = never seen. */
  readonly mat = new Int8Array(AREA * AREA).fill(-1);

  /** Records a 9×7 view of semantic ids centred on (px, py). Objects hide their tile: guess what they stand on. */
  update(px: number, py: number, view: number[][]): void {
    view.forEach((row, r) => {
      row.forEach((id, c) => {
        const x = px + c - (VIEW_W >> 1);
        const y = py + r - (VIEW_H >> 1);
        if (x < 0 || y < 0 || x >= AREA || y >= AREA) return;
        const i = x * AREA + y;
        if (id <= 12) this.mat[i] = id;
        else if (this.mat[i] === -1) this.mat[i] = id === 16 ? M.path : M.grass;
      });
    });
  }

  get(x: number, y: number): number {
    return x < 0 || y < 0 || x >= AREA || y >= AREA ? 0 : this.mat[x * AREA + y]!;
  }

  walkable(x: number, y: number): boolean {
    const m = this.get(x, y);
    return m === M.grass || m === M.sand || m === M.path;
  }

  /**
   * Shortest route from (sx, sy) over known walkable tiles not in `blocked` (tile indices) to the first
   * tile where `goal` holds (the start counts). Returns null when none is reachable within `limit` tiles.
   */
  route(
    sx: number,
    sy: number,
    blocked: Set<number>,
    goal: (x: number, y: number) => boolean,
    limit = 4096,
  ): Route | null {
    const prev = new Int32Array(AREA * AREA).fill(-1);
    const start = sx * AREA + sy;
    prev[start] = start;
    const queue = [start];
    for (let head = 0; head < queue.length && head < limit; head++) {
      const cur = queue[head]!;
      const x = Math.floor(cur / AREA);
      const y = cur % AREA;
      if (goal(x, y)) return { x, y, dirs: this.#trace(prev, start, cur) };
      for (let d = 0; d < 4; d++) {
        const nx = x + DX[d]!;
        const ny = y + DY[d]!;
        if (nx < 0 || ny < 0 || nx >= AREA || ny >= AREA) continue;
        const ni = nx * AREA + ny;
        if (prev[ni] !== -1 || blocked.has(ni) || !this.walkable(nx, ny)) continue;
        prev[ni] = cur;
        queue.push(ni);
      }
    }
    return null;
  }

  #trace(prev: Int32Array, start: number, end: number): number[] {
    const dirs: number[] = [];
    for (let cur = end; cur !== start; cur = prev[cur]!) {
      const p = prev[cur]!;
      dirs.push(dirOf(Math.floor(cur / AREA) - Math.floor(p / AREA), (cur % AREA) - (p % AREA)));
    }
    return dirs.reverse();
  }
}
