// @ts-check
/**
 * The I/O thread's writing (see `io-worker.mjs` for the protocol): appends transferred buffers to the
 * output's open file and to its sha256.
 * @module
 */
import { createHash } from 'node:crypto';
import { fdatasync, writeSync } from 'node:fs';

/**
 * Bytes appended between two background flushes. The commit fsyncs the file before its rename; flushed
 * along the way, the file has only its tail left to write then (the whole output otherwise: ~0.25 s at
 * the end of the 700 MB bench export, spent waiting on the disk).
 */
const FLUSH_EVERY = 32 * 2 ** 20;

/**
 * The writing side of the thread.
 * @param {Pick<import('node:worker_threads').MessagePort, 'postMessage'>} port the parent port, told of a failed write
 * @param {number} flushEvery bytes between two background flushes
 */
export function createWriting(port, flushEvery = FLUSH_EVERY) {
  const hash = createHash('sha256');
  let bytes = 0;
  // After a failure every later write is skipped: the main thread throws and removes the file.
  let failed = false;
  let unflushed = 0;
  /** The background flush in flight, if any: its result does not matter, the commit's fsync reports. */
  let flushing = /** @type {Promise<void> | null} */ (null);
  return {
    /**
     * Appends `length` bytes of `data` to `fd`, hashing them.
     * @param {number} fd
     * @param {ArrayBuffer} data
     * @param {number} length
     */
    write(fd, data, length) {
      if (failed) return;
      const view = new Uint8Array(data, 0, length);
      try {
        hash.update(view);
        let offset = 0;
        while (offset < length) offset += writeSync(fd, view, offset, length - offset);
        bytes += length;
        unflushed += length;
        if (unflushed >= flushEvery && !flushing) {
          unflushed = 0;
          flushing = new Promise((resolve) =>
            fdatasync(fd, () => {
              flushing = null;
              resolve();
            }),
          );
        }
      } catch (error) {
        failed = true;
        const code = /** @type {NodeJS.ErrnoException} */ (error).code;
        port.postMessage({ writeError: error instanceof Error ? error.message : String(error), code });
      }
    },
    /**
     * The bytes written and their sha256 (once, after the last write), when no flush is in flight: the file
     * is closed after this answer, and a flush must not outlive its descriptor.
     */
    async finish() {
      await flushing;
      return { bytes, sha256: hash.digest('hex') };
    },
  };
}
