/**
 * Sample sessions recorded through the real SessionTracer, shaped like a Crafter rollout: per turn a
 * system, a user and an assistant message (with a tool call), an LM call event and an environment step.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionTracer } from '../../src/tracing/session-tracer.ts';
import type { TraceStore } from '../../src/tracing/store.ts';
import type { JsonObject, SessionTrace } from '../../src/tracing/types.ts';

/** A fresh temp folder for one test file. */
export function tempDir(prefix = 'synth-trace-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface SampleOptions {
  sessionId?: string;
  turns?: number;
  reward?: number;
  metadata?: JsonObject;
  store?: TraceStore | null;
  /** Unix seconds for the first record; each record advances the clock by 1 ms. */
  startAt?: number;
}

/** Records one session with `turns` turns (3 messages and 2 events per turn) and ends it. */
export async function recordSample(options: SampleOptions = {}): Promise<SessionTrace> {
  let t = options.startAt ?? 1_760_000_000;
  const tracer = new SessionTracer({ store: options.store ?? null, now: () => (t += 0.001) });
  tracer.startSession({
    sessionId: options.sessionId,
    metadata: { env_name: 'crafter', ...(options.metadata ?? {}) },
  });
  const turns = options.turns ?? 3;
  for (let i = 0; i < turns; i++) {
    tracer.startTimestep(`turn_${i}`, { turnNumber: i });
    tracer.recordMessage({ role: 'system', content: 'You are playing Crafter.' });
    tracer.recordMessage({ role: 'user', content: `=== CRAFTER GAME STATE ===\nStep: ${i}/10` });
    const callId = `call_${i}`;
    tracer.recordMessage({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: callId,
          type: 'function',
          function: { name: 'interact_many', arguments: '{"actions":["do"]}' },
        },
      ],
    });
    tracer.recordEvent({
      event_type: 'cais',
      system_instance_id: 'policy',
      model_name: 'gpt-4o-mini',
      provider: 'openai',
      input_tokens: 120,
      output_tokens: 12,
      total_tokens: 132,
      cost_usd: 0.000025,
      latency_ms: 250,
      call_records: [],
    });
    const env = tracer.recordEvent({
      event_type: 'environment',
      system_instance_id: 'crafter',
      reward: i === turns - 1 ? 1 : 0,
      terminated: i === turns - 1,
      truncated: false,
      system_state_after: { step: i },
    });
    if (i === 0)
      tracer.recordEventReward({
        eventIndex: env,
        rewardValue: 0.5,
        rewardType: 'achievement',
        source: 'environment',
        key: 'collect_wood',
      });
    tracer.endTimestep();
  }
  tracer.recordOutcomeReward({ totalReward: options.reward ?? 1.5, achievementsCount: 1, totalSteps: turns });
  return tracer.endSession();
}
