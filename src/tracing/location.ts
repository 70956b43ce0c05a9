/**
 * Where traces go: every spelling of a trace DB location that synth-ai users write, and the environment
 * variables of the seeds. `TURSO_NATIVE` is accepted and ignored: synth-ai used it to pick between two
 * Python drivers, and this package has one native engine (libsql) for every local file.
 * @module
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';

/** The default trace DB, relative to the working directory. */
export const DEFAULT_TRACE_DB = 'traces/v3/synth_ai.db';

/** A parsed location. `display` never contains credentials. */
export type TraceLocation =
  | { kind: 'disabled'; display: string }
  | { kind: 'file'; path: string; display: string }
  | { kind: 'remote'; url: string; authToken: string | undefined; display: string };

const DISABLED = new Set(['none', 'off', 'disable', 'disabled']);
const TRUE = new Set(['1', 'true', 'yes', 'on']);

type Env = Record<string, string | undefined>;

/** Whether `TASKAPP_TRACING_ENABLED` turns tracing on (1/true/yes/on, any case). */
export function isTracingEnabled(env: Env = process.env): boolean {
  return TRUE.has((env['TASKAPP_TRACING_ENABLED'] ?? '').trim().toLowerCase());
}

function fileLocation(p: string, cwd: string): TraceLocation {
  if (p === '') throw new UsageError('trace DB location has no path', { hint: 'e.g. traces/v3/synth_ai.db' });
  const abs = p === ':memory:' ? p : path.resolve(cwd, p);
  return { kind: 'file', path: abs, display: abs };
}

function remoteLocation(raw: string, env: Env): TraceLocation {
  let url: URL;
  try {
    url = new URL(raw.replace(/^sqlite\+libsql:\/\//, 'libsql://'));
  } catch {
    throw new UsageError(`trace DB URL ${raw.replace(/\?.*$/, '')} is not a valid URL`, {
      hint: 'write it as libsql://HOST or https://HOST',
    });
  }
  const fromQuery = url.searchParams.get('authToken') ?? url.searchParams.get('auth_token') ?? undefined;
  url.searchParams.delete('authToken');
  url.searchParams.delete('auth_token');
  url.username = '';
  url.password = '';
  const authToken = fromQuery ?? (env['TURSO_AUTH_TOKEN'] || undefined);
  return { kind: 'remote', url: url.toString(), authToken, display: url.toString() };
}

/**
 * Parses a location: a plain path, `sqlite:///rel` or `sqlite:////abs` (SQLAlchemy's forms, also with
 * `+aiosqlite`), `file:`, `libsql://` / `http(s)://` / `ws(s)://` (remote; token from `TURSO_AUTH_TOKEN`),
 * or `none` / `off` / `disable` (tracing off).
 */
export function parseTraceLocation(raw: string, options: { env?: Env; cwd?: string } = {}): TraceLocation {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const value = raw.trim();
  if (DISABLED.has(value.toLowerCase())) return { kind: 'disabled', display: 'disabled' };
  const sqlalchemy = /^sqlite(\+[a-z0-9_]+)?:\/\/(.*)$/i.exec(value);
  if (sqlalchemy && !/^sqlite\+libsql:/i.test(value)) {
    // sqlite:///relative.db and sqlite:////abs/path.db: the third slash ends the empty host.
    const rest = sqlalchemy[2]!;
    if (!rest.startsWith('/')) {
      throw new UsageError(`trace DB URL ${value} has a host part; SQLite URLs start with three slashes`, {
        hint: 'write sqlite+aiosqlite:///relative/path.db or sqlite+aiosqlite:////absolute/path.db',
      });
    }
    return fileLocation(rest.slice(1).replace(/\?.*$/, ''), cwd);
  }
  if (/^file:/i.test(value)) {
    let rest = value.slice(5).replace(/\?.*$/, '');
    if (rest.startsWith('//')) rest = rest.slice(2);
    return fileLocation(decodeURIComponent(rest), cwd);
  }
  if (/^(libsql|https?|wss?|sqlite\+libsql):\/\//i.test(value)) return remoteLocation(value, env);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    throw new UsageError(`trace DB URL scheme ${scheme[1]}:// is not supported`, {
      hint: 'use a file path, sqlite:///path, file:path, libsql://host, or none',
    });
  }
  return fileLocation(value, cwd);
}

/**
 * The location to use: an explicit value wins; else `TURSO_LOCAL_DB_URL`, then `SQLD_DB_PATH` (a folder
 * means `<folder>/dbs/default/data`, sqld's layout), then `traces/v3/synth_ai.db`.
 */
export function resolveTraceLocation(
  explicit?: string | null,
  options: { env?: Env; cwd?: string } = {},
): TraceLocation {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (explicit !== undefined && explicit !== null && explicit.trim() !== '') {
    return parseTraceLocation(explicit, { env, cwd });
  }
  const turso = env['TURSO_LOCAL_DB_URL']?.trim();
  if (turso) return parseTraceLocation(turso, { env, cwd });
  const sqld = env['SQLD_DB_PATH']?.trim();
  if (sqld) {
    const loc = parseTraceLocation(sqld, { env, cwd });
    if (loc.kind === 'file' && isDirectory(loc.path)) {
      const p = path.join(loc.path, 'dbs', 'default', 'data');
      return { kind: 'file', path: p, display: p };
    }
    return loc;
  }
  return parseTraceLocation(DEFAULT_TRACE_DB, { env, cwd });
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
