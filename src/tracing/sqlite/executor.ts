/**
 * The little SQL surface shared by both drivers (the embedded `libsql` connection and `@libsql/client`),
 * so migrations and reads are written once.
 * @module
 */

/** A value SQLite can bind. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A row as a plain object keyed by column name. */
export type SqlRow = Record<string, unknown>;

/** What migrations and readers need from a connection. */
export interface SqlExecutor {
  /** Rows of a query, in order. */
  all(sql: string, args?: readonly SqlValue[]): Promise<SqlRow[]>;
  /**
   * Rows of a query as arrays of column values, in order (no per-row object). Optional: readers fall back
   * to {@link all}.
   */
  allArrays?(sql: string, args?: readonly SqlValue[]): Promise<unknown[][]>;
  /** Runs one statement that returns nothing of interest. */
  run(sql: string, args?: readonly SqlValue[]): Promise<void>;
  /** Runs `work` inside one write transaction: all of it commits, or none. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
