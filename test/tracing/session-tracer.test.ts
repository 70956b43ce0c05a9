/** SessionTracer: what it records, and the compact form of a trace. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCompactTrace } from '../../src/tracing/compact-trace.ts';
import { SessionTracer } from '../../src/tracing/session-tracer.ts';
import { recordSample } from './fixtures.ts';

describe('SessionTracer', () => {
  it('derives message types from roles, ties records to their step, and rewards environment steps', () => {
    const tracer = new SessionTracer({ now: () => 1_700_000_000 });
    tracer.startSession({ sessionId: 's', metadata: { task_id: 't' } });
    tracer.startTimestep('turn_0', { turnNumber: 0 });
    const types = (['system', 'user', 'assistant', 'tool'] as const).map((role) => {
      const i = tracer.recordMessage({
        role,
        content: 'x',
        ...(role === 'tool' ? { tool_call_id: 'c1' } : {}),
      });
      return tracer.snapshot().markov_blanket_message_history[i]!.message_type;
    });
    assert.deepEqual(types, ['system', 'user', 'assistant', 'tool_result']);
    tracer.recordMessage({ role: 'assistant', content: null }, { messageType: 'tool_use' });
    const env = tracer.recordEvent({
      event_type: 'environment',
      system_instance_id: 'env',
      reward: 2,
      terminated: false,
      truncated: false,
    });
    const snap = tracer.snapshot();
    assert.equal(snap.markov_blanket_message_history[4]!.message_type, 'tool_use');
    assert.equal(snap.session_time_steps[0]!.events.length, 1);
    assert.equal(snap.session_time_steps[0]!.markov_blanket_messages.length, 5);
    assert.deepEqual(snap.event_history[env]!.metadata, { step_id: 'turn_0' });
    assert.deepEqual(snap.event_rewards, [
      { event_index: 0, turn_number: 0, reward_value: 2, reward_type: 'sparse', source: 'environment' },
    ]);
    assert.throws(
      () =>
        tracer.recordEventReward({ eventIndex: 5, rewardValue: 1, rewardType: 'shaped', source: 'runner' }),
      /event 5 was not recorded/,
    );
    snap.metadata['changed'] = true;
    assert.equal(tracer.snapshot().metadata['changed'], undefined, 'snapshot is a copy');
    assert.throws(() => tracer.startSession(), /session s is still open/);
  });

  it('endSession returns the trace, closes the step, and frees the tracer for the next session', async () => {
    const tracer = new SessionTracer({ now: () => 1_700_000_000.5 });
    tracer.startSession();
    tracer.startTimestep('a');
    tracer.recordOutcomeReward({ totalReward: 2.75, achievementsCount: 2 });
    const trace = await tracer.endSession();
    assert.equal(trace.session_time_steps[0]!.completed_at, '2023-11-14T22:13:20.500Z');
    assert.deepEqual(trace.outcome, {
      total_reward: 2.75,
      achievements_count: 2,
      total_steps: 1,
      reward_metadata: {},
    });
    assert.equal(tracer.sessionId, null);
    assert.match(tracer.startSession(), /^[0-9a-f-]{36}$/);
  });

  it('builds the compact form', async () => {
    const compact = toCompactTrace(await recordSample({ sessionId: 'c', turns: 3 }));
    assert.equal(compact.events_count, 6);
    assert.equal(compact.messages_count, 9);
    assert.equal(compact.lm_calls.length, 3);
    assert.deepEqual(compact.lm_calls[0], {
      model_name: 'gpt-4o-mini',
      provider: 'openai',
      input_tokens: 120,
      output_tokens: 12,
      total_tokens: 132,
      cost_usd: 0.000025,
      latency_ms: 250,
      step_id: 'turn_0',
    });
    assert.deepEqual(
      compact.decision_rewards.map((d) => [d.step_id, d.env_reward, d.event_rewards]),
      [
        ['turn_0', 0, 0.5],
        ['turn_1', 0, 0],
        ['turn_2', 1, 0],
      ],
    );
  });
});
