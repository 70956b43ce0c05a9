/**
 * Writes a file that appears whole or not at all: a temp file in the same folder, fsync, rename.
 * The sha256 of the bytes is computed while writing, so the manifest needs no second read.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';

const FLUSH_BYTES = 1 << 20;

/** An open atomic write; call `commit()` to publish or `abort()` to leave no trace. */
export interface AtomicFile {
  readonly path: string;
  /** Appends text (buffered). */
  write(text: string): void;
  /** Flushes, fsyncs and renames into place; returns the byte count and sha256 hex. */
  commit(): { bytes: number; sha256: string };
  /** Removes the temp file; safe after commit or twice. */
  abort(): void;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOTDIR') return 'a parent is not a folder';
  return error instanceof Error ? error.message : String(error);
}

/** Opens `<dir>/.<name>.<random>.tmp`; throws a UsageError when the folder cannot be written. */
export function createAtomicFile(path: string): AtomicFile {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (error) {
    throw new UsageError(`cannot write output ${path}: ${describe(error)}`, {
      hint: 'pick an output path in a folder that exists and that you can write',
    });
  }
  const hasher = createHash('sha256');
  let chunks: string[] = [];
  let pending = 0;
  let bytes = 0;
  let open = true;
  const flush = () => {
    if (pending === 0) return;
    const buffer = Buffer.from(chunks.join(''), 'utf8');
    chunks = [];
    pending = 0;
    hasher.update(buffer);
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
    bytes += buffer.length;
  };
  const close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  return {
    path,
    write(text) {
      chunks.push(text);
      pending += text.length;
      if (pending >= FLUSH_BYTES) flush();
    },
    commit() {
      flush();
      fsyncSync(fd);
      close();
      try {
        renameSync(temp, path);
      } catch (error) {
        this.abort();
        throw new UsageError(`cannot write output ${path}: ${describe(error)}`, {
          hint: 'pick an output path you can write',
        });
      }
      syncFolder(dirname(path));
      return { bytes, sha256: hasher.digest('hex') };
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
export function writeFileAtomic(path: string, text: string): void {
  const file = createAtomicFile(path);
  try {
    file.write(text);
    file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
