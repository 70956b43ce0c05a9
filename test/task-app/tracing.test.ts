import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RolloutResponseSchema } from '../../src/task-app/rollout-contract.ts';
import type { RunningTaskAppServer } from '../../src/task-app/start-server.ts';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import type { TraceStore } from '../../src/tracing/store.ts';
import { MESSAGE_TYPES, type SessionTrace } from '../../src/tracing/types.ts';
import { authed, serve } from './helpers.ts';

async function rollout(url: string, record: Record<string, unknown>, seed = 1) {
  const response = await authed(`${url}/rollout`, {
    method: 'POST',
    body: JSON.stringify({
      run_id: `t-${seed}`,
      env: { seed },
      policy: { policy_name: 'press-llm' },
      record,
    }),
  });
  assert.equal(response.status, 200);
  return RolloutResponseSchema.parse(await response.json());
}

describe('rollout tracing', () => {
  let server: RunningTaskAppServer;
  let store: TraceStore;
  let dir: string;
  const seen: SessionTrace[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synth-taskapp-trace-'));
    store = (await openTraceStore(join(dir, 'traces.db')))!;
    server = await serve(undefined, { traceStore: store, onTrace: (trace) => void seen.push(trace) });
  });
  after(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the full trace: messages of standard types, a cais event per LM call, env events, rewards, outcome', async () => {
    // seed 1 → target 2: two turns, each one LM call and one env step worth 1.
    const body = await rollout(server.url, { return_trace: true, trace_format: 'full' });
    const trace = body.trace as unknown as SessionTrace;
    assert.equal(trace.session_time_steps.length, 2);
    const types = trace.markov_blanket_message_history.map((m) => m.message_type);
    assert.deepEqual(types, [
      'system',
      'user',
      'assistant',
      'tool_result',
      'system',
      'user',
      'assistant',
      'tool_result',
    ]);
    for (const type of types) assert.ok((MESSAGE_TYPES as readonly string[]).includes(type));
    assert.equal(trace.markov_blanket_message_history[2]!.metadata.is_tool_call, true);
    const kinds = trace.event_history.map((e) => e.event_type);
    assert.deepEqual(kinds, ['cais', 'environment', 'cais', 'environment']);
    const cais = trace.event_history[0]!;
    assert.ok(cais.event_type === 'cais');
    assert.equal(cais.model_name, 'fake-model');
    assert.equal(cais.input_tokens, 10);
    assert.equal(cais.call_records.length, 1);
    const env = trace.event_history[3]!;
    assert.ok(env.event_type === 'environment');
    assert.equal(env.reward, 1);
    assert.equal(env.terminated, true);
    assert.deepEqual((env.system_state_before as { data: unknown }).data, { presses: 1, target: 2 });
    assert.deepEqual((env.system_state_after as { data: unknown }).data, { presses: 2, target: 2 });
    assert.deepEqual(
      trace.event_rewards.map((r) => [r.event_index, r.reward_value, r.reward_type, r.source]),
      [
        [1, 1, 'sparse', 'environment'],
        [3, 1, 'sparse', 'environment'],
      ],
    );
    assert.equal(trace.outcome?.total_reward, 2);
    assert.equal(trace.metadata.task_id, 'counter');
    assert.equal(trace.metadata.seed, 1);
    assert.equal(trace.metadata.policy_name, 'press-llm');
    assert.equal(trace.metadata.official_score, 2);
    // The same session went to the store, whole.
    const stored = await store.getSession(trace.session_id);
    assert.equal(stored?.markov_blanket_message_history.length, 8);
    assert.equal(stored?.outcome?.total_reward, 2);
    assert.equal(seen.at(-1)?.session_id, trace.session_id);
  });

  it('returns the compact trace by default when asked for a trace', async () => {
    const body = await rollout(server.url, { return_trace: true }, 2);
    const compact = body.trace as Record<string, unknown>;
    assert.equal(typeof compact.session_id, 'string');
    assert.equal(compact.events_count, 6);
    assert.equal(compact.messages_count, 12);
    assert.equal((compact.lm_calls as unknown[]).length, 3);
    assert.deepEqual(
      (compact.decision_rewards as Array<{ env_reward: number }>).map((d) => d.env_reward),
      [1, 1, 1],
    );
    assert.equal(compact.session_time_steps, undefined);
  });

  it('no trace unless asked for or enabled on the server', async () => {
    const body = await rollout(server.url, {}, 3);
    assert.equal(body.trace, undefined);
    const tracingServer = await serve(undefined, { tracing: true });
    try {
      const traced = await rollout(tracingServer.url, {}, 3);
      assert.equal((traced.trace as Record<string, unknown>).events_count, 8);
    } finally {
      await tracingServer.close();
    }
  });
});
