/**
 * A stable 32-bit hash of a session id (FNV-1a), stored in `session_traces.shuffle_key`. SQLite (through
 * libsql) cannot run user functions, so a seeded shuffle mixes this stored key with the seed in plain SQL.
 * @module
 */

/** FNV-1a over the UTF-16 code units of `id`, as an unsigned 32-bit integer. */
export function shuffleKey(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The SQL expression that orders rows for a seeded shuffle: xor the key with the seed, then two
 * multiply–xorshift rounds. Every product stays below 2^63, so SQLite's integer arithmetic is exact.
 */
export function shuffleOrderSql(column: string, seed: number): string {
  const s = shuffleKey(`seed:${Math.trunc(seed)}`);
  const xor = (a: string, b: string) => `((${a}) | (${b})) - ((${a}) & (${b}))`;
  const round = (x: string) => `((${xor(x, `(${x}) >> 15`)}) * 1597334677) % 4294967296`;
  return round(round(xor(column, String(s))));
}
