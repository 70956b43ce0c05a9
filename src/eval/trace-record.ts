import type { JsonObject, JsonValue, SessionTrace } from '../tracing/types.ts';

function obj(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/**
 * The session trace in a rollout response, or null. Takes our `full` form (a SessionTrace dict) and
 * synth-ai's wrapped form (`trace.session_trace`), and fills the parts an older task app leaves out.
 */
export function extractTrace(response: JsonObject): SessionTrace | null {
  const raw = obj(response.trace);
  if (!raw) return null;
  const inner = obj(raw.session_trace) ?? raw;
  if (typeof inner.session_id !== 'string' || inner.session_id === '') return null;
  return {
    session_id: inner.session_id,
    created_at: typeof inner.created_at === 'string' ? inner.created_at : new Date().toISOString(),
    session_time_steps: list(inner.session_time_steps),
    event_history: list(inner.event_history),
    markov_blanket_message_history: list(inner.markov_blanket_message_history),
    metadata: (obj(inner.metadata) as JsonObject | null) ?? {},
    ...(inner.session_metadata !== undefined
      ? { session_metadata: inner.session_metadata as JsonValue }
      : {}),
    event_rewards: list(inner.event_rewards),
    outcome: (obj(inner.outcome) as SessionTrace['outcome'] | null) ?? null,
    judge_metadata: (obj(inner.judge_metadata) as SessionTrace['judge_metadata'] | null) ?? null,
  };
}

/** The selection keys eval writes into every stored trace's metadata (what `synth-ai filter` selects on). */
export interface TraceSelectionKeys {
  task_id: string;
  task_split: string;
  model: string | null;
  policy_name: string;
  seed: number;
  env_name: string;
  official_score: number | null;
  /** The eval run this trace belongs to; `--resume` reads it back. */
  eval_run_id: string;
  rollout_id: string;
}

/** Returns a copy of the trace with the selection keys merged over what the task app recorded. */
export function annotateTrace(trace: SessionTrace, keys: TraceSelectionKeys): SessionTrace {
  return { ...trace, metadata: { ...trace.metadata, ...(keys as unknown as JsonObject) } };
}
