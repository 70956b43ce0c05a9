/**
 * Store writes started without awaiting them, so a caller's next unit of work need not wait for a commit,
 * and settled together at the end. The first failure is kept and thrown by `settle()`: a write that fails
 * is never lost silently. A limit bounds the writes in flight (and the traces they hold in memory).
 * @module
 */

/** Writes in flight. */
export interface PendingWrites {
  /** Tracks a write already started; resolves once fewer than the limit are in flight (at once without one). */
  add(write: Promise<unknown>): Promise<void>;
  /** Waits for every write added so far (and any added meanwhile); throws the first failure. */
  settle(): Promise<void>;
}

/** An empty set of writes in flight; `limit` (if any) is the most that `add` lets a caller keep going with. */
export function createPendingWrites(options: { limit?: number } = {}): PendingWrites {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  return {
    async add(write) {
      const tracked: Promise<void> = write.then(
        () => {
          inFlight.delete(tracked);
        },
        (error: unknown) => {
          inFlight.delete(tracked);
          failure ??= { error };
        },
      );
      inFlight.add(tracked);
      while (inFlight.size >= limit) await Promise.race(inFlight);
    },
    async settle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
      if (failure) throw failure.error;
    },
  };
}
