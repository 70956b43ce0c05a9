/**
 * Store writes started without awaiting them, so a caller's next unit of work need not wait for a commit,
 * and settled together at the end. The first failure is kept and thrown by `settle()`: a write that fails
 * is never lost silently.
 * @module
 */

/** Writes in flight. */
export interface PendingWrites {
  /** Tracks a write already started. */
  add(write: Promise<unknown>): void;
  /** Waits for every write added so far (and any added meanwhile); throws the first failure. */
  settle(): Promise<void>;
}

/** An empty set of writes in flight. */
export function createPendingWrites(): PendingWrites {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  return {
    add(write) {
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
    },
    async settle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
      if (failure) throw failure.error;
    },
  };
}
