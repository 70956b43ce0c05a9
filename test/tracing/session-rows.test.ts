/** A trace's JSON alone gives the same rows as the trace itself, when `rowsFollowFromJson` says so. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSessionRows, rowsFollowFromJson } from '../../src/tracing/sqlite/session-rows.ts';
import type { SessionTrace } from '../../src/tracing/types.ts';
import { recordSample } from './fixtures.ts';

const fromJson = (trace: SessionTrace) => {
  const text = JSON.stringify(trace);
  return buildSessionRows(JSON.parse(text) as SessionTrace, text);
};

describe('session rows from a trace or from its JSON', () => {
  it('are equal for traces the tracer records, trace_data included', async () => {
    for (const turns of [1, 4]) {
      const trace = await recordSample({ turns, metadata: { seed: 3, note: 'naïve ✓' } });
      assert.equal(rowsFollowFromJson(trace), true);
      const rows = buildSessionRows(trace);
      assert.deepEqual(fromJson(trace), rows);
      assert.equal(rows.session[8], JSON.stringify(trace));
      // Every event and message found its timestep.
      assert.ok(rows.events.every((e) => e.step !== null) && rows.messages.every((m) => m.step !== null));
    }
  });

  it('are not claimed equal when an item does not name its timestep, or two timesteps share an id', async () => {
    const trace = await recordSample({ turns: 2 });
    const event = trace.session_time_steps[1]!.events[0]!;
    // Placed by object identity only: its JSON copy would lose the timestep.
    event.metadata = {};
    assert.equal(rowsFollowFromJson(trace), false);
    assert.notDeepEqual(fromJson(trace).events, buildSessionRows(trace).events);

    const twins = await recordSample({ turns: 2 });
    const [first, second] = twins.session_time_steps;
    second!.step_id = first!.step_id;
    for (const item of [...second!.events, ...second!.markov_blanket_messages])
      item.metadata = { ...item.metadata, step_id: first!.step_id };
    assert.equal(rowsFollowFromJson(twins), false);
    assert.notDeepEqual(fromJson(twins).events, buildSessionRows(twins).events);
  });
});
