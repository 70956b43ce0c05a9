/**
 * The episode's one PRNG: sfc32 (small fast counter), seeded through splitmix32 so that nearby seeds give
 * unrelated streams. Everything random in an episode draws from it in a fixed order (crafter-rules.md §9).
 * @module
 */

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seeded generator with the two draws Crafter uses. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `seed` is any integer (episode seed); `stream` separates episodes that share a seed. */
  constructor(seed: number, stream = 1) {
    const hi = Math.floor(seed / 0x100000000);
    const mix = splitmix32((seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d) ^ Math.imul(stream, 0x165667b1));
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix() | 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n) (like numpy's `randint(0, n)`). */
  randint(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** The generator's state, for state hashes and snapshots. */
  state(): [number, number, number, number] {
    return [this.#a >>> 0, this.#b >>> 0, this.#c >>> 0, this.#d >>> 0];
  }
}
