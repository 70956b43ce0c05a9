/**
 * The compact form of a trace that task apps return for `trace_format: "compact"`: counts, the LM calls
 * without their prompts, and the reward of each decision (timestep).
 * @module
 */
import type { JsonObject, SessionTrace } from './types.ts';

/** One LM call, summarised. */
export interface CompactLmCall {
  model_name: string;
  provider: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  latency_ms: number;
  step_id: string | null;
}

/** The reward of one decision: environment rewards plus event rewards inside one timestep. */
export interface CompactDecisionReward {
  step_id: string;
  step_index: number;
  turn_number: number | null;
  env_reward: number;
  event_rewards: number;
}

/** `{session_id, created_at, metadata, events_count, messages_count, lm_calls[], decision_rewards[]}`. */
export interface CompactTrace {
  session_id: string;
  created_at: string;
  metadata: JsonObject;
  events_count: number;
  messages_count: number;
  lm_calls: CompactLmCall[];
  decision_rewards: CompactDecisionReward[];
}

/** Builds the compact form of a trace. */
export function toCompactTrace(trace: SessionTrace): CompactTrace {
  const lmCalls: CompactLmCall[] = [];
  for (const e of trace.event_history) {
    if (e.event_type !== 'cais') continue;
    const stepId = e.metadata?.['step_id'];
    lmCalls.push({
      model_name: e.model_name,
      provider: e.provider,
      input_tokens: e.input_tokens,
      output_tokens: e.output_tokens,
      total_tokens: e.total_tokens,
      cost_usd: e.cost_usd,
      latency_ms: e.latency_ms,
      step_id: typeof stepId === 'string' ? stepId : null,
    });
  }
  const eventStep = new Map<number, number>();
  trace.event_history.forEach((e, i) => {
    const s = trace.session_time_steps.findIndex((step) => step.events.includes(e));
    if (s >= 0) eventStep.set(i, s);
  });
  const decisionRewards = trace.session_time_steps.map((step, s) => ({
    step_id: step.step_id,
    step_index: step.step_index,
    turn_number: step.turn_number ?? null,
    env_reward: step.events.reduce((sum, e) => sum + (e.event_type === 'environment' ? e.reward : 0), 0),
    event_rewards: trace.event_rewards
      .filter(
        (r) =>
          eventStep.get(r.event_index) === s && !(r.reward_type === 'sparse' && r.source === 'environment'),
      )
      .reduce((sum, r) => sum + r.reward_value, 0),
  }));
  return {
    session_id: trace.session_id,
    created_at: trace.created_at,
    metadata: trace.metadata,
    events_count: trace.event_history.length,
    messages_count: trace.markov_blanket_message_history.length,
    lm_calls: lmCalls,
    decision_rewards: decisionRewards,
  };
}
