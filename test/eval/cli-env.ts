/** What eval's CLI tests share: an environment without the developer's keys, and the stored sessions. */
import assert from 'node:assert/strict';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import type { SessionSummary } from '../../src/tracing/store.ts';

/** No keys or backend from the developer's shell leak into these runs. */
export const CLEAN = {
  SYNTH_BASE_URL: '',
  SYNTH_API_KEY: '',
  OPENAI_API_KEY: '',
  SQLD_DB_PATH: '',
  TURSO_LOCAL_DB_URL: '',
};

/** Every session stored in the trace DB `db`. */
export async function sessions(db: string): Promise<SessionSummary[]> {
  const store = await openTraceStore(db);
  assert.ok(store);
  const out: SessionSummary[] = [];
  for await (const s of store.listSessions()) out.push(s);
  await store.close();
  return out;
}
