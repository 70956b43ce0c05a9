/**
 * One entry point for every location: `openTraceStore('traces/v3/synth_ai.db')`, a URL, or nothing (the
 * environment decides). Problems with the location surface here, before any rollout runs.
 * @module
 */
import { openClientTraceStore } from './libsql-client/client-store.ts';
import { resolveTraceLocation, type TraceLocation } from './location.ts';
import { createSqliteTraceStore, type SqliteTraceStoreOptions } from './sqlite/sqlite-store.ts';
import type { TraceStore } from './store.ts';

/** Options of {@link openTraceStore}. */
export interface OpenTraceStoreOptions extends SqliteTraceStoreOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/**
 * Opens the trace store at `location` (a string as users write it, or a parsed location); with no
 * location, `TURSO_LOCAL_DB_URL`, `SQLD_DB_PATH` or `traces/v3/synth_ai.db`. Resolves to null when
 * tracing is disabled (`none`, `off`, `disable`).
 */
export async function openTraceStore(
  location?: string | TraceLocation | null,
  options: OpenTraceStoreOptions = {},
): Promise<TraceStore | null> {
  const loc =
    typeof location === 'object' && location !== null
      ? location
      : resolveTraceLocation(location, { env: options.env, cwd: options.cwd });
  switch (loc.kind) {
    case 'disabled':
      return null;
    case 'file':
      return createSqliteTraceStore(loc.path, options);
    case 'remote':
      return openClientTraceStore(loc.url, { authToken: loc.authToken, display: loc.display });
  }
}
