/** Runs the real `sqlite3` command-line tool, as the seeds do. */
import { spawnSync } from 'node:child_process';

/** stdout of `sqlite3 [flags] db sql` (throws with stderr on failure). */
export function sqlite3(db: string, sql: string, flags: readonly string[] = [], input?: string): string {
  const args = input === undefined ? [...flags, db, sql] : [...flags, db];
  const r = spawnSync('sqlite3', args, { encoding: 'utf8', input });
  if (r.status !== 0 || r.stderr) throw new Error(`sqlite3 failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Runs `sql` with bound parameters through sqlite3's `.parameter set` (values become SQL text literals). */
export function sqlite3WithParams(db: string, sql: string, params: Record<string, string>): string {
  const lines = ['.parameter init'];
  for (const [name, value] of Object.entries(params))
    lines.push(`.parameter set ${name} "'${value.replace(/'/g, "''").replace(/"/g, '\\"')}'"`);
  lines.push(sql);
  return sqlite3(db, '', [], `${lines.join('\n')}\n`);
}
