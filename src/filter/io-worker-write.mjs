// @ts-check
/**
 * The I/O thread's writing (see `io-worker.mjs` for the protocol): appends transferred buffers to the
 * output's open file and to its sha256.
 *
 * Given a second descriptor of the file opened with `O_DIRECT` (see `openDirect` in `atomic-file.ts`), the
 * bytes go to the disk without passing through the page cache: they are gathered into page-aligned chunks
 * (alignment is what direct I/O asks of the memory, the length and the file offset) and each full chunk is
 * written at its offset on libuv's pool, so the disk's time overlaps this thread's reading. On the 700 MB
 * bench export this thread's system time (reads included) was 0.97-1.07 s against 1.36-1.76 s through the
 * page cache; the output no longer pushes the trace DB being read out of that cache, and the fsync before
 * the rename finds little left to write. The last, partial chunk goes through the ordinary descriptor, at
 * its offset: padded to a whole block it would need the device's block size, which the first full chunk
 * does not tell. A file system that refuses direct writes (the first one fails with EINVAL or EOPNOTSUPP)
 * gets the same bytes through the ordinary descriptor.
 * @module
 */
import { createHash } from 'node:crypto';
import { fdatasync, write as writeAsync, writeSync } from 'node:fs';

/**
 * Bytes appended between two background flushes, through the page cache. The commit fsyncs the file before
 * its rename; flushed along the way, the file has only its tail left to write then (the whole output
 * otherwise: ~0.25 s at the end of the 700 MB bench export, spent waiting on the disk).
 */
const FLUSH_EVERY = 32 * 2 ** 20;
/** Bytes per direct write: large enough that a write's fixed cost is small against the copy. */
const CHUNK_BYTES = 2 ** 20;
/** Direct writes in flight at most; past that, the next full chunk is written while this thread waits. */
const CHUNKS = 4;
/** Chunks start this far apart in their memory: direct I/O needs a multiple of the device's block size. */
const BLOCK = 4096;
const WASM_PAGE = 65536;
/** What a file system that does not do direct writes answers the first one with. */
const REFUSED = new Set(['EINVAL', 'EOPNOTSUPP', 'ENOTSUP']);
/** WebAssembly memory, the one page-aligned memory JavaScript can have (the type library here lacks it). */
const WasmMemory = /** @type {new (size: { initial: number }) => { buffer: ArrayBuffer }} */ (
  Reflect.get(Reflect.get(globalThis, 'WebAssembly'), 'Memory')
);

/**
 * @typedef {{ flushEvery?: number; chunkBytes?: number; writeOnPool?: typeof writeAsync }} WritingOptions
 *   `flushEvery`: bytes between two background flushes (buffered writes); `chunkBytes`: bytes per direct write
 *   (tests use a length direct I/O refuses, to see the fallback); `writeOnPool`: the positional write the
 *   direct chunks go through (tests slow it down, to keep chunks in flight)
 */

/**
 * The writing side of the thread.
 * @param {Pick<import('node:worker_threads').MessagePort, 'postMessage'>} port told of a failed write
 * @param {WritingOptions} [options]
 */
export function createWriting(port, options = {}) {
  const flushEvery = options.flushEvery ?? FLUSH_EVERY;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const writeOnPool = options.writeOnPool ?? writeAsync;
  const hash = createHash('sha256');
  let bytes = 0;
  // After a failure every later write is skipped: the main thread throws and removes the file.
  let failed = false;
  let unflushed = 0;
  /** The background flush in flight, if any: its result does not matter, the commit's fsync reports. */
  let flushing = /** @type {Promise<void> | null} */ (null);
  /** The output's ordinary descriptor (the first write names it). */
  let plain = -1;

  /** @param {unknown} error */
  const fail = (error) => {
    if (failed) return;
    failed = true;
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    port.postMessage({ writeError: error instanceof Error ? error.message : String(error), code });
  };

  /**
   * Appends through the page cache, flushing now and then.
   * @param {Uint8Array} view
   */
  const writePlain = (view) => {
    let offset = 0;
    while (offset < view.length) offset += writeSync(plain, view, offset, view.length - offset);
    unflushed += view.length;
    if (unflushed >= flushEvery && !flushing) {
      unflushed = 0;
      flushing = new Promise((resolve) =>
        fdatasync(plain, () => {
          flushing = null;
          resolve();
        }),
      );
    }
  };

  /**
   * The direct path, once a descriptor is given: the chunks, their state, and the file offset of the next.
   * @type {{ fd: number; chunks: Uint8Array[]; busy: (Promise<void> | undefined)[]; current: number; staged: number;
   *   position: number; probed: boolean } | null}
   */
  let direct = null;

  /**
   * Writes `length` bytes of `chunk` at `position`, to the end (a short write is finished at once).
   * @param {number} fd @param {Uint8Array} chunk @param {number} length @param {number} position
   */
  const writeAllAt = (fd, chunk, length, position) => {
    let done = 0;
    while (done < length) done += writeSync(fd, chunk, done, length - done, position + done);
  };

  /**
   * Writes the current chunk, full, directly: the first one while this thread waits (it tells whether the
   * file system takes direct writes at all), later ones on the pool while a chunk is free to fill meanwhile,
   * else here.
   */
  const submit = () => {
    const d = /** @type {NonNullable<typeof direct>} */ (direct);
    const length = chunkBytes;
    const index = d.current;
    const chunk = /** @type {Uint8Array} */ (d.chunks[index]);
    const position = d.position;
    d.position += length;
    if (!d.probed) {
      d.probed = true;
      try {
        writeAllAt(d.fd, chunk, length, position);
      } catch (error) {
        if (!REFUSED.has(/** @type {NodeJS.ErrnoException} */ (error).code ?? '')) throw error;
        // Refused: these bytes, and all later ones, go through the ordinary descriptor.
        direct = null;
        writePlain(chunk.subarray(0, length));
      }
      return;
    }
    const next = (index + 1) % d.chunks.length;
    if (d.busy[next] === undefined) {
      d.busy[index] = new Promise((resolve) => {
        writeOnPool(d.fd, chunk, 0, length, position, (error, written) => {
          try {
            if (error) throw error;
            if (written < length)
              writeAllAt(d.fd, chunk.subarray(written), length - written, position + written);
          } catch (e) {
            fail(e);
          }
          d.busy[index] = undefined;
          resolve();
        });
      });
      d.current = next;
    } else writeAllAt(d.fd, chunk, length, position);
  };

  /**
   * Copies `view` into the chunks, writing each one that fills.
   * @param {Uint8Array} view
   */
  const stage = (view) => {
    const d = /** @type {NonNullable<typeof direct>} */ (direct);
    let at = 0;
    while (at < view.length && direct) {
      const n = Math.min(chunkBytes - d.staged, view.length - at);
      /** @type {Uint8Array} */ (d.chunks[d.current]).set(view.subarray(at, at + n), d.staged);
      d.staged += n;
      at += n;
      if (d.staged === chunkBytes) {
        submit();
        d.staged = 0;
      }
    }
    // Direct writes were refused midway through this view: the rest goes the ordinary way.
    if (at < view.length) writePlain(view.subarray(at));
  };

  return {
    /**
     * Writes from now on through `fd`, a descriptor of the same file opened with `O_DIRECT`, before any write.
     * @param {number} fd
     */
    direct(fd) {
      const size = Math.ceil(chunkBytes / BLOCK) * BLOCK;
      // WebAssembly memory starts on a page boundary: a Buffer's memory need not.
      const memory = new WasmMemory({ initial: Math.ceil((size * CHUNKS) / WASM_PAGE) });
      direct = {
        fd,
        chunks: Array.from({ length: CHUNKS }, (_, i) => new Uint8Array(memory.buffer, i * size, size)),
        busy: [],
        current: 0,
        staged: 0,
        position: 0,
        probed: false,
      };
    },
    /**
     * Appends `length` bytes of `data` to `fd`, hashing them.
     * @param {number} fd
     * @param {ArrayBuffer} data
     * @param {number} length
     */
    write(fd, data, length) {
      if (failed) return;
      plain = fd;
      const view = new Uint8Array(data, 0, length);
      try {
        hash.update(view);
        if (direct) stage(view);
        else writePlain(view);
        bytes += length;
      } catch (error) {
        fail(error);
      }
    },
    /** Skips every later write; settles once no write or flush is in flight (the thread is about to stop). */
    async settle() {
      failed = true;
      if (direct) await Promise.all(direct.busy);
      await flushing;
    },
    /**
     * The bytes written and their sha256 (once, after the last write), when no write or flush is in flight:
     * the file is closed after this answer, and neither may outlive its descriptor.
     */
    async finish() {
      if (direct) {
        const d = direct;
        await Promise.all(d.busy);
        if (!failed && d.staged > 0) {
          try {
            writeAllAt(plain, /** @type {Uint8Array} */ (d.chunks[d.current]), d.staged, d.position);
          } catch (error) {
            fail(error);
          }
        }
      }
      await flushing;
      return { bytes, sha256: hash.digest('hex') };
    },
  };
}
