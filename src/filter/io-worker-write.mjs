// @ts-check
/**
 * The I/O thread's writing (see `io-worker.mjs` for the protocol): appends transferred buffers to the
 * output's open file and to its sha256.
 * @module
 */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';

/**
 * The writing side of the thread.
 * @param {import('node:worker_threads').MessagePort} port the parent port, told of a failed write
 */
export function createWriting(port) {
  const hash = createHash('sha256');
  let bytes = 0;
  // After a failure every later write is skipped: the main thread throws and removes the file.
  let failed = false;
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
      } catch (error) {
        failed = true;
        const code = /** @type {NodeJS.ErrnoException} */ (error).code;
        port.postMessage({ writeError: error instanceof Error ? error.message : String(error), code });
      }
    },
    /** The bytes written and their sha256 (once, after the last write). */
    finish() {
      return { bytes, sha256: hash.digest('hex') };
    },
  };
}
