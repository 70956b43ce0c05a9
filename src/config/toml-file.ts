/**
 * Reading a TOML config file: text, parsed data, and a path to show in messages.
 * @module
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ConfigError, UsageError } from '../errors.ts';

/** A config file read from disk. */
export interface TomlSource {
  /** Absolute path. */
  readonly path: string;
  /** The path as messages show it: relative to cwd when inside it. */
  readonly displayPath: string;
  readonly text: string;
}

/** The path shown in messages: relative to `cwd` when the file is under it, else absolute. */
export function displayPathOf(path: string, cwd = process.cwd()): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Reads a config file; a missing or unreadable file is a `UsageError` naming it. */
export function readTomlSource(path: string, cwd = process.cwd()): TomlSource {
  const abs = resolve(cwd, path);
  const displayPath = displayPathOf(path, cwd);
  try {
    return { path: abs, displayPath, text: readFileSync(abs, 'utf8') };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new UsageError(`config file ${displayPath} ${why}`, {
      hint: 'check the path given to --config',
      cause,
    });
  }
}

/**
 * Parses TOML text. A syntax error becomes a `ConfigError` naming the file, line and column, with the
 * parser's reason, for example `configs/eval.toml:3:9: TOML syntax error: invalid value`.
 */
export function parseToml(text: string, displayPath: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof TomlError) {
      const reason = cause.message.replace(/^Invalid TOML document: /, '').split('\n')[0];
      throw new ConfigError([`${displayPath}:${cause.line}:${cause.column}: TOML syntax error: ${reason}`], {
        hint: 'fix the TOML at that line',
      });
    }
    throw cause;
  }
}
