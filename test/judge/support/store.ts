import { join } from 'node:path';
import { createSqliteTraceStore } from '../../../src/tracing/sqlite/sqlite-store.ts';
import type { SessionTrace } from '../../../src/tracing/types.ts';
import { tempDir } from './traces.ts';

/** A real SQLite trace DB in a temp dir holding `traces`. */
export async function storeWith(traces: SessionTrace[]) {
  const file = join(tempDir(), 'traces.db');
  const store = await createSqliteTraceStore(file);
  for (const t of traces) await store.insertSession(t);
  return { file, store };
}
