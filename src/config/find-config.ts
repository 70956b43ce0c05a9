/**
 * Eval's config auto-discovery: with no `--config`, the first `*.toml` that belongs to the app.
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when `text` is a config eval can run (it has `[eval]`, `[prompt_learning]` or top-level `app_id`). */
const hasEvalBlock = (text: string) =>
  /^\s*\[(eval|prompt_learning)(\.[^\]]*)?\]|^\s*(task_)?app_id\s*=/m.test(text);

/**
 * Finds the config for `appId`: searches `configs/` then `cwd` (not recursively), files in name order,
 * and returns the first `*.toml` that eval can run and that either says `app_id = "<appId>"` (or
 * `task_app_id`) or has the app id in its file name. Returns an absolute path, or undefined.
 * @example findConfigFile('grpo-crafter', process.cwd()) // '/.../configs/eval.toml'
 */
export function findConfigFile(appId: string, cwd = process.cwd()): string | undefined {
  const idLine = new RegExp(`^\\s*(task_)?app_id\\s*=\\s*(["'])${escapeRegExp(appId)}\\2`, 'm');
  for (const dir of [join(cwd, 'configs'), cwd]) {
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => n.endsWith('.toml'))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = resolve(dir, name);
      let text: string;
      try {
        if (!statSync(path).isFile()) continue;
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      if (hasEvalBlock(text) && (idLine.test(text) || name.includes(appId))) return path;
    }
  }
  return undefined;
}
