import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from '../errors.ts';

/**
 * Reads `.env` files and merges them in order (a later file wins). Values are never printed:
 * errors name the file and the key only.
 * @example const env = loadEnvFiles(['.env', '.env.local']);
 */
export function loadEnvFiles(paths: readonly string[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new UsageError(`env file ${path} cannot be read (${code ?? 'error'})`, {
        hint: 'check the path given to --env-file',
        cause,
      });
    }
    Object.assign(merged, parseEnv(text));
  }
  return merged;
}

/**
 * Loads env files into `target` (default `process.env`) without overriding variables already set in the
 * real environment, unless `override` is set. Returns the names of the keys it set.
 */
export function applyEnvFiles(
  paths: readonly string[],
  options: { target?: NodeJS.ProcessEnv; override?: boolean } = {},
): string[] {
  const target = options.target ?? process.env;
  const applied: string[] = [];
  for (const [key, value] of Object.entries(loadEnvFiles(paths))) {
    if (options.override || target[key] === undefined) {
      target[key] = value;
      applied.push(key);
    }
  }
  return applied;
}
