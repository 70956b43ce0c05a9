/**
 * The world state: a 64×64 material map in typed arrays, the objects in creation order, an object-occupancy
 * map, and the chunks in the order they first held an object (that order drives balancing).
 * @module
 */
import { AREA, CHUNK, MATERIALS } from './constants.ts';

const MATERIAL_COUNT = MATERIALS.length;

/** A creature, arrow, plant or the player. One class keeps every object monomorphic (fast property access). */
export class Entity {
  alive = true;
  /** Zombie attack cooldown. */
  cooldown = 0;
  /** Skeleton reload. */
  reload = 0;
  /** Plant growth. */
  grown = 0;
  /** Arrow direction (also the player's facing). */
  fx = 0;
  fy = 0;

  constructor(
    readonly kind: number,
    public x: number,
    public y: number,
    public health: number,
    /** Creation serial: object iteration follows it. */
    readonly serial: number,
  ) {}
}

/** Chunks per map side (6: the last row and column are 4 tiles wide). */
export const CHUNKS_PER_SIDE = Math.ceil(AREA / CHUNK);

/** Chunk index of a tile. */
export function chunkOf(x: number, y: number): number {
  return Math.floor(x / CHUNK) * CHUNKS_PER_SIDE + Math.floor(y / CHUNK);
}

/** The world map and its objects. Tile index is `x * AREA + y` (x-major, like the generator's loops). */
export class World {
  readonly size = AREA;
  readonly mat = new Uint8Array(AREA * AREA);
  readonly tunnel = new Uint8Array(AREA * AREA);
  readonly chunkMaterials = new Uint16Array(CHUNKS_PER_SIDE * CHUNKS_PER_SIDE * MATERIAL_COUNT);
  readonly occupant: (Entity | undefined)[] = new Array(AREA * AREA).fill(undefined);
  /** Live objects in creation order (dead ones are pruned lazily). */
  objects: Entity[] = [];
  /** Chunk indices in the order they first received an object. */
  readonly chunkOrder: number[] = [];
  readonly #chunkSeen = new Uint8Array(CHUNKS_PER_SIDE * CHUNKS_PER_SIDE);
  #serial = 0;
  #dead = 0;

  inside(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < AREA && y < AREA;
  }

  /** Material at a tile; 0 (none) off the map, which nothing can walk on. */
  material(x: number, y: number): number {
    return x >= 0 && y >= 0 && x < AREA && y < AREA ? this.mat[x * AREA + y]! : 0;
  }

  setMaterial(x: number, y: number, material: number): void {
    if (!this.inside(x, y)) return;
    const i = x * AREA + y;
    const c = chunkOf(x, y) * MATERIAL_COUNT;
    this.chunkMaterials[c + this.mat[i]!]!--;
    this.chunkMaterials[c + material]!++;
    this.mat[i] = material;
  }

  /** Recounts materials per chunk; call after writing `mat` directly (world generation). */
  countChunkMaterials(): void {
    this.chunkMaterials.fill(0);
    for (let x = 0; x < AREA; x++) {
      for (let y = 0; y < AREA; y++)
        this.chunkMaterials[chunkOf(x, y) * MATERIAL_COUNT + this.mat[x * AREA + y]!]!++;
    }
  }

  /** Tiles of `material` in chunk `c` (kept up to date by `setMaterial`, for balancing). */
  chunkMaterial(c: number, material: number): number {
    return this.chunkMaterials[c * MATERIAL_COUNT + material]!;
  }

  objectAt(x: number, y: number): Entity | undefined {
    return x >= 0 && y >= 0 && x < AREA && y < AREA ? this.occupant[x * AREA + y] : undefined;
  }

  /** True when the tile has no object and its material is in `walkMask`. */
  isFree(x: number, y: number, walkMask: number): boolean {
    if (x < 0 || y < 0 || x >= AREA || y >= AREA) return false;
    const i = x * AREA + y;
    return this.occupant[i] === undefined && ((walkMask >> this.mat[i]!) & 1) === 1;
  }

  add(kind: number, x: number, y: number, health: number): Entity {
    const obj = new Entity(kind, x, y, health, this.#serial++);
    this.objects.push(obj);
    this.occupant[x * AREA + y] = obj;
    this.#touchChunk(x, y);
    return obj;
  }

  remove(obj: Entity): void {
    if (!obj.alive) return;
    obj.alive = false;
    const i = obj.x * AREA + obj.y;
    if (this.occupant[i] === obj) this.occupant[i] = undefined;
    this.#dead++;
  }

  move(obj: Entity, x: number, y: number): void {
    this.occupant[obj.x * AREA + obj.y] = undefined;
    obj.x = x;
    obj.y = y;
    this.occupant[x * AREA + y] = obj;
    this.#touchChunk(x, y);
  }

  /** Drops removed objects from the list once they pile up; creation order is kept. */
  prune(): void {
    if (this.#dead > 32 && this.#dead * 4 > this.objects.length) {
      this.objects = this.objects.filter((o) => o.alive);
      this.#dead = 0;
    }
  }

  /** Whether the material occurs in the square of radius `r` around (x, y). */
  nearby(x: number, y: number, r: number, material: number): boolean {
    for (let dx = -r; dx <= r; dx++) {
      for (let dy = -r; dy <= r; dy++) {
        if (this.material(x + dx, y + dy) === material) return true;
      }
    }
    return false;
  }

  #touchChunk(x: number, y: number): void {
    const c = chunkOf(x, y);
    if (this.#chunkSeen[c] === 0) {
      this.#chunkSeen[c] = 1;
      this.chunkOrder.push(c);
    }
  }
}

/** Bounds of chunk `c`: [xmin, xmax, ymin, ymax). */
export function chunkBounds(c: number): [number, number, number, number] {
  const cx = Math.floor(c / CHUNKS_PER_SIDE) * CHUNK;
  const cy = (c % CHUNKS_PER_SIDE) * CHUNK;
  return [cx, Math.min(cx + CHUNK, AREA), cy, Math.min(cy + CHUNK, AREA)];
}

/** L1 distance. */
export function l1(ax: number, ay: number, bx: number, by: number): number {
  return Math.abs(ax - bx) + Math.abs(ay - by);
}
