/**
 * Writes a file that appears whole or not at all: a temp file in the same folder, fsync, rename.
 * The sha256 of the bytes is computed while writing, so the manifest needs no second read.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { OutputOffload } from './io-thread.ts';
import { describeFsError, outputWriteError } from './write-error.ts';

/**
 * Bytes gathered before each write: texts are encoded straight into one reused buffer. 128 KiB: handed to
 * the I/O thread, larger buffers cost tens of MB of peak RSS on the 100k bench for no speed.
 */
const BUFFER_BYTES = 128 << 10;

/** An open atomic write; call `commit()` to publish or `abort()` to leave no trace. */
export interface AtomicFile {
  readonly path: string;
  /** Appends text (buffered). */
  write(text: string): void;
  /** Appends bytes already encoded (buffered): a text written in many lines is encoded once. */
  writeBytes(bytes: Uint8Array): void;
  /**
   * Appends a short ASCII text (a line's punctuation), copied a character at a time: cheaper than a call
   * into the encoder for a few bytes, and a line has several. Only for ASCII.
   */
  writeAscii(text: string): void;
  /**
   * From now on, full buffers are written and hashed by `offload` (another thread) instead of here, through
   * the page cache or, where the file system allows, around it. Only before the first write.
   */
  offload(offload: OutputOffload): void;
  /** Undefined, or a promise to await before writing more (the offload's backpressure). */
  ready(): Promise<void> | undefined;
  /** Flushes, fsyncs and renames into place; returns the byte count and sha256 hex. */
  commit(): Promise<{ bytes: number; sha256: string }>;
  /** Removes the temp file; safe after commit or twice. */
  abort(): void;
}

/** Opens `<dir>/.<name>.<random>.tmp`; throws a UsageError when the folder cannot be written. */
export function createAtomicFile(path: string): AtomicFile {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (error) {
    throw new UsageError(`cannot write output ${path}: ${describeFsError(error)}`, {
      hint: 'pick an output path in a folder that exists and that you can write',
    });
  }
  const hasher = createHash('sha256');
  // Its own memory (not a slice of Node's pool), so an offload can move it to another thread.
  let buffer = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  let used = 0;
  let bytes = 0;
  let open = true;
  let offload: OutputOffload | undefined;
  /** A second descriptor, opened with `O_DIRECT`, that the offload writes through; -1 for none. */
  let direct = -1;
  const writeAll = (data: Buffer) => {
    if (offload) {
      // A copy the offload may keep: `data` may be a view of memory that is not ours to give away.
      const copy = Buffer.allocUnsafeSlow(data.length);
      data.copy(copy);
      offload.write(fd, copy, copy.length);
      return;
    }
    hasher.update(data);
    let offset = 0;
    try {
      while (offset < data.length) offset += writeSync(fd, data, offset);
    } catch (error) {
      throw outputWriteError(path, error);
    }
    bytes += data.length;
  };
  const flush = () => {
    if (used === 0) return;
    if (offload) buffer = offload.write(fd, buffer, used);
    else writeAll(buffer.subarray(0, used));
    used = 0;
  };
  const close = () => {
    if (!open) return;
    open = false;
    if (direct >= 0) closeSync(direct);
    closeSync(fd);
  };
  return {
    path,
    write(text) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit, so a text that passes this check always fits.
      if (text.length * 3 > BUFFER_BYTES - used) {
        flush();
        if (text.length * 3 > BUFFER_BYTES) {
          writeAll(Buffer.from(text, 'utf8'));
          return;
        }
      }
      used += buffer.write(text, used);
    },
    writeAscii(text) {
      if (text.length > BUFFER_BYTES - used) flush();
      for (let i = 0; i < text.length; i++) buffer[used++] = text.charCodeAt(i);
    },
    writeBytes(data) {
      if (data.length > BUFFER_BYTES - used) {
        flush();
        if (data.length > BUFFER_BYTES) {
          writeAll(Buffer.from(data.buffer, data.byteOffset, data.length));
          return;
        }
      }
      buffer.set(data, used);
      used += data.length;
    },
    offload(o) {
      if (used > 0 || bytes > 0) throw new Error('an atomic file is offloaded before its first write');
      offload = o;
      direct = openDirect(temp);
      o.target(path, direct >= 0 ? direct : undefined);
    },
    ready() {
      return offload?.ready();
    },
    async commit() {
      flush();
      const written = offload ? await offload.finish() : { bytes, sha256: hasher.digest('hex') };
      fsyncSync(fd);
      close();
      try {
        renameSync(temp, path);
      } catch (error) {
        this.abort();
        throw new UsageError(`cannot write output ${path}: ${describeFsError(error)}`, {
          hint: 'pick an output path you can write',
        });
      }
      syncFolder(dirname(path));
      return written;
    },
    abort() {
      try {
        close();
      } catch {
        // already closed by the system
      }
      try {
        unlinkSync(temp);
      } catch {
        // already renamed or removed
      }
    },
  };
}

/**
 * `file` opened again for writing with `O_DIRECT` (bytes go to the disk without filling the page cache; see
 * `io-worker-write.mjs`), or -1 where the platform has no such flag (macOS, Windows) or the file system
 * refuses it.
 */
function openDirect(file: string): number {
  const flag = constants.O_DIRECT;
  if (flag === undefined) return -1;
  try {
    return openSync(file, constants.O_WRONLY | flag);
  } catch {
    return -1;
  }
}

/** The rename is durable only once the folder entry is on disk; not every platform allows this. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort (e.g. Windows cannot open a folder)
  }
}

/** Writes a whole small file atomically (the manifest). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const file = createAtomicFile(path);
  try {
    file.write(text);
    await file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
