/**
 * A set of 64-bit fingerprints in flat typed arrays: exact-duplicate detection over millions of examples
 * without keeping the examples (or their hex digests) in memory: 8 bytes per slot, at most three quarters full
 * (linear probing stays short there, and a million examples fit in 16 MB rather than 32).
 * @module
 */
import { sha1Prefix } from './message-pieces.ts';

/** Open-addressing set of (hi, lo) 32-bit pairs; (0, 0) marks an empty slot. */
export class FingerprintSet {
  #hi: Uint32Array;
  #lo: Uint32Array;
  #size = 0;

  constructor(initialCapacity = 1 << 16) {
    this.#hi = new Uint32Array(initialCapacity);
    this.#lo = new Uint32Array(initialCapacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Adds the fingerprint of `text`; false when it was already there (a duplicate). */
  addText(text: string): boolean {
    const [hi, lo] = sha1Prefix(text);
    return this.#add(hi === 0 && lo === 0 ? 1 : hi, lo);
  }

  /** Adds a precomputed 64-bit fingerprint (two unsigned 32-bit halves); false when already there. */
  addPair(hi: number, lo: number): boolean {
    return this.#add(hi === 0 && lo === 0 ? 1 : hi >>> 0, lo >>> 0);
  }

  #add(hi: number, lo: number): boolean {
    if ((this.#size + 1) * 4 > this.#hi.length * 3) this.#grow();
    const mask = this.#hi.length - 1;
    // lo is uniformly spread, so it picks the slot (the same way before and after a resize).
    let slot = lo & mask;
    for (;;) {
      const h = this.#hi[slot]!;
      const l = this.#lo[slot]!;
      if (h === 0 && l === 0) {
        this.#hi[slot] = hi;
        this.#lo[slot] = lo;
        this.#size++;
        return true;
      }
      if (h === hi && l === lo) return false;
      slot = (slot + 1) & mask;
    }
  }

  #grow(): void {
    const oldHi = this.#hi;
    const oldLo = this.#lo;
    this.#hi = new Uint32Array(oldHi.length * 2);
    this.#lo = new Uint32Array(oldLo.length * 2);
    this.#size = 0;
    for (let i = 0; i < oldHi.length; i++) {
      const h = oldHi[i]!;
      const l = oldLo[i]!;
      if (h !== 0 || l !== 0) this.#add(h, l);
    }
  }
}
