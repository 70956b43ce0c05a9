/**
 * The store's writer thread receives whole traces and builds their rows there: what it stores must be what
 * inline writes store, row for row, for traces as the tracer builds them (objects shared between timesteps
 * and histories), as read back from JSON, and for a trace the thread cannot receive (sent as rows instead).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { createSqliteTraceStore } from '../../src/tracing/sqlite/sqlite-store.ts';
import type { SessionTrace } from '../../src/tracing/types.ts';
import { recordSample, tempDir } from './fixtures.ts';

const TABLES = [
  'session_traces',
  'session_timesteps',
  'events',
  'messages',
  'event_rewards',
  'outcome_rewards',
];

async function storedRows(traces: readonly SessionTrace[], writeThread: boolean) {
  const file = join(tempDir(), `${writeThread ? 'thread' : 'inline'}.db`);
  const store = await createSqliteTraceStore(file, { writeThread });
  for (const trace of traces) await store.insertSession(trace);
  await store.close();
  const db = new Database(file);
  const rows = Object.fromEntries(
    TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw(true).all()]),
  );
  db.close();
  return rows;
}

describe('store writer thread', () => {
  it('stores the same rows as inline writes, trace_data included', async () => {
    const shared = await recordSample({ sessionId: 'shared', turns: 3, metadata: { note: 'naïve ✓ 🚀' } });
    const parsed = JSON.parse(JSON.stringify(await recordSample({ sessionId: 'parsed', turns: 2 })));
    // A function cannot cross to the thread; JSON leaves it out, and so must the stored rows.
    const odd = await recordSample({ sessionId: 'odd', turns: 1 });
    (odd.metadata as Record<string, unknown>).callback = () => 1;
    const traces = [shared, parsed, odd];
    const inline = await storedRows(traces, false);
    const threaded = await storedRows(traces, true);
    assert.equal(inline.session_traces?.length, 3);
    assert.ok((inline.events?.length ?? 0) > 6 && (inline.messages?.length ?? 0) > 6);
    assert.deepEqual(threaded, inline);
    const [, , oddRow] = inline.session_traces as unknown[][];
    assert.ok(!String(oddRow).includes('callback'), 'the function is not stored');
  });
});
