/**
 * Opens an embedded connection with the settings every connection to a trace DB uses (WAL, a busy
 * timeout for other processes' locks), turning driver failures into one line with a fix.
 * @module
 */
import Database from 'libsql';
import { UsageError } from '../../errors.ts';

/** An open connection to `file` (created when missing). */
export function openDatabase(file: string, busyTimeoutMs: number): Database.Database {
  try {
    const db = new Database(file);
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    return db;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not a database|file is encrypted/i.test(message)) {
      throw new UsageError(`${file} is not a SQLite database`, {
        hint: 'point at a synth-ai trace DB, or at a new file name to create one',
      });
    }
    throw new UsageError(`cannot open trace DB ${file}: ${message}`, {
      hint: 'check the path and its permissions',
    });
  }
}
