/**
 * A spend cap that is never exceeded as long as estimates are upper bounds: each judgment reserves its
 * worst-case cost before it starts, and the actual cost replaces the reservation when it ends.
 */
export class SpendCap {
  readonly limitUsd: number;
  #spent = 0;
  #reserved = 0;

  constructor(limitUsd: number) {
    this.limitUsd = limitUsd;
  }

  /** Reserves `maxUsd` if it fits under the cap; false means stop starting judgments. */
  tryReserve(maxUsd: number): boolean {
    if (this.#spent + this.#reserved + maxUsd > this.limitUsd) return false;
    this.#reserved += maxUsd;
    return true;
  }

  /** Turns a reservation into the actual spend. */
  settle(reservedUsd: number, actualUsd: number): void {
    this.#reserved -= reservedUsd;
    this.#spent += actualUsd;
  }

  get spentUsd(): number {
    return this.#spent;
  }
}
