/**
 * Why the output could not be written, in words a user can act on: the same line whether the write
 * failed on the main thread or on the I/O thread.
 * @module
 */
import { SynthError } from '../errors.ts';

/** A file-system error as a reason: "the disk is full", "permission denied", or the error's own text. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOTDIR') return 'a parent is not a folder';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EDQUOT') return 'the disk quota is used up';
  if (code === 'EFBIG') return 'the file grew past the largest size allowed (file system or ulimit -f)';
  return error instanceof Error ? error.message : String(error);
}

/** The error of a failed write to the output `path`; nothing of it is kept (the caller removes the temp file). */
export function outputWriteError(path: string, error: unknown): SynthError {
  return new SynthError(`cannot write output ${path}: ${describeFsError(error)}`, {
    hint: 'free space on its disk, or write the output to another folder',
    cause: error,
  });
}
