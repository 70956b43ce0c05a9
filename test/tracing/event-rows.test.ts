import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SessionTracer } from '../../src/tracing/session-tracer.ts';
import { createSqliteTraceStore } from '../../src/tracing/sqlite/sqlite-store.ts';

describe('events rows', () => {
  it('each event type fills its own columns and leaves the others NULL', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'synth-events-')), 't.db');
    const store = await createSqliteTraceStore(file);
    const tracer = new SessionTracer({ store });
    tracer.startSession({ sessionId: 's1' });
    tracer.startTimestep('t0');
    tracer.recordEvent({
      event_type: 'cais',
      system_instance_id: 'llm',
      metadata: {},
      model_name: 'gpt-4o-mini',
      provider: 'openai',
      input_tokens: 10,
      output_tokens: 5,
      total_tokens: 15,
      cost_usd: 0.0004,
      latency_ms: 12,
      call_records: [],
    });
    tracer.recordEvent({
      event_type: 'runtime',
      system_instance_id: 'policy',
      metadata: {},
      actions: [3, 5],
    });
    tracer.recordEvent({
      event_type: 'environment',
      system_instance_id: 'env',
      metadata: {},
      reward: 1.5,
      terminated: true,
      truncated: false,
      system_state_after: { hp: 9 },
    });
    tracer.endTimestep();
    await tracer.endSession();
    const rows = execFileSync('sqlite3', [
      file,
      'SELECT event_type, model_name, cost_usd, reward, terminated, system_state_before, system_state_after FROM events ORDER BY id',
    ])
      .toString()
      .trim()
      .split('\n');
    assert.deepEqual(rows, [
      'cais|gpt-4o-mini|0.0004||||',
      'runtime|||||{"actions":[3,5]}|',
      'environment|||1.5|1||{"hp":9}',
    ]);
    const back = await store.getSession('s1');
    await store.close();
    const runtime = back!.event_history.find((e) => e.event_type === 'runtime');
    assert.deepEqual(runtime && 'actions' in runtime ? runtime.actions : null, [3, 5]);
  });
});
