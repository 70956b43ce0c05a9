/**
 * Group commit for the single writer: jobs queued in the same turn of the event loop run in one
 * transaction, each inside its own SAVEPOINT so one bad session fails alone while the rest commit.
 * The jobs are synchronous (the embedded driver is), so a transaction never stays open across an
 * `await`: reads on the same connection see whole sessions or none.
 * @module
 */

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** How the queue talks to the connection. */
export interface WriteQueueConnection {
  exec(sql: string): void;
}

/** A queue that batches writes into transactions. */
export interface WriteQueue {
  /** Runs `work` inside the next batch's transaction; resolves after that batch commits. */
  enqueue<T>(work: () => T): Promise<T>;
  /** Resolves when everything queued so far has committed (or failed). */
  drain(): Promise<void>;
  /** Batches committed so far, and jobs in them (for benchmarks and tests). */
  stats(): { batches: number; jobs: number };
}

/**
 * Creates the queue. `maxBatch` bounds the jobs (sessions) in one transaction. `lingerMs` holds a batch
 * open that long for more jobs (a full batch goes at once): fewer, larger commits for a writer whose jobs
 * arrive one message at a time, at the price of that much latency per write.
 */
export function createWriteQueue(
  conn: WriteQueueConnection,
  options: { maxBatch?: number; lingerMs?: number } = {},
): WriteQueue {
  const maxBatch = options.maxBatch ?? 256;
  const lingerMs = options.lingerMs ?? 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: Job[] = [];
  let scheduled = false;
  let idle: Array<() => void> = [];
  let batches = 0;
  let jobsDone = 0;

  const flush = () => {
    scheduled = false;
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending.slice(0, maxBatch);
    pending = pending.slice(batch.length);
    if (pending.length > 0) schedule();
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      conn.exec('BEGIN IMMEDIATE');
      for (const job of batch) {
        conn.exec('SAVEPOINT job');
        try {
          results.push({ ok: true, value: job.work() });
          conn.exec('RELEASE job');
        } catch (error) {
          conn.exec('ROLLBACK TO job');
          conn.exec('RELEASE job');
          results.push({ ok: false, error });
        }
      }
      conn.exec('COMMIT');
    } catch (error) {
      // BEGIN, a savepoint or COMMIT failed (disk full, lock timeout): nothing of this batch is stored.
      try {
        conn.exec('ROLLBACK');
      } catch {
        // No transaction left to roll back; the error below is the one that matters.
      }
      for (const job of batch) job.reject(error);
      return settleIdle();
    }
    batches++;
    jobsDone += batch.length;
    batch.forEach((job, i) => {
      const r = results[i]!;
      if (r.ok) job.resolve(r.value);
      else job.reject(r.error);
    });
    settleIdle();
  };

  function settleIdle() {
    if (pending.length > 0 || scheduled) return;
    const waiters = idle;
    idle = [];
    for (const w of waiters) w();
  }

  function schedule() {
    if (scheduled) {
      if (timer && pending.length >= maxBatch) {
        clearTimeout(timer);
        timer = null;
        setImmediate(flush);
      }
      return;
    }
    scheduled = true;
    // setImmediate, not a microtask: lets every writer that is ready in this turn join the batch.
    if (lingerMs > 0 && pending.length < maxBatch) timer = setTimeout(flush, lingerMs);
    else setImmediate(flush);
  }

  return {
    enqueue<T>(work: () => T) {
      return new Promise<T>((resolve, reject) => {
        pending.push({ work, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
    drain() {
      if (pending.length === 0 && !scheduled) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    stats: () => ({ batches, jobs: jobsDone }),
  };
}
