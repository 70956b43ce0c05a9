/**
 * Rows → trace shapes. Our rows carry the chat message as JSON; rows written by the Python synth-ai
 * carry plain text or `{text, json_payload}`-style JSON, which become a chat message with the role the
 * message type implies.
 * @module
 */
import { SynthError } from '../../errors.ts';
import type { SessionSummary } from '../store.ts';
import type {
  ChatMessage,
  JsonObject,
  JsonValue,
  JudgeMetadata,
  MessageType,
  OutcomeReward,
  TraceEvent,
  TraceMessage,
} from '../types.ts';
import type { SqlRow } from './executor.ts';

/** Parses a JSON column; `undefined` when the text is not JSON. */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const asObject = (v: unknown): JsonObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};

/** judge_metadata as written by us, by a judge, or by hand with sqlite3; a bad value is named, not guessed. */
export function decodeJudgeMetadata(value: unknown, sessionId: string): JudgeMetadata | null {
  if (value === null || value === undefined) return null;
  const parsed = parseJsonText(value);
  if (parsed === null) return null;
  if (parsed === undefined || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SynthError(`session ${sessionId}: judge_metadata is not a JSON object`, {
      hint: `fix it with: UPDATE session_traces SET judge_metadata = '{"primary": 0.8}' WHERE session_id = '${sessionId}'`,
    });
  }
  return parsed as JudgeMetadata;
}

const ROLE_OF_TYPE: Record<string, ChatMessage['role']> = {
  system: 'system',
  user: 'user',
  assistant: 'assistant',
  tool_use: 'assistant',
  tool_result: 'tool',
};

/** The chat message stored in `messages.content`, from our JSON or the original's formats. */
export function decodeMessageContent(content: unknown, messageType: string): ChatMessage {
  const role = ROLE_OF_TYPE[messageType] ?? 'user';
  const parsed = parseJsonText(content);
  const obj = asObject(parsed);
  if (typeof obj['role'] === 'string' && 'content' in obj) return obj as unknown as ChatMessage;
  if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
    return { role, content: typeof content === 'string' ? content : String(content ?? '') };
  }
  for (const key of ['content', 'text', 'content_text'] as const) {
    const v = obj[key];
    if (typeof v === 'string' || Array.isArray(v)) return { role, content: v as ChatMessage['content'] };
  }
  const payload = asObject(obj['payload']);
  if (typeof payload['content'] === 'string') return { role, content: payload['content'] };
  return { role, content: typeof content === 'string' ? content : JSON.stringify(parsed) };
}

/** One `messages` row as a TraceMessage. */
export function decodeMessage(row: SqlRow): TraceMessage {
  const type = String(row['message_type']) as MessageType;
  const eventTime = Number(row['event_time'] ?? Date.parse(String(row['timestamp'] ?? 0)) / 1000);
  return {
    message_type: type,
    content: decodeMessageContent(row['content'], type),
    time_record: { event_time: eventTime, message_time: (row['message_time'] as number | null) ?? null },
    metadata: asObject(parseJsonText(row['metadata'])),
  };
}

/** One `events` row as a TraceEvent (for DBs without `trace_data`). */
export function decodeEvent(row: SqlRow): TraceEvent {
  const base = {
    system_instance_id: String(row['system_instance_id'] ?? ''),
    time_record: {
      event_time: Number(row['event_time'] ?? 0),
      message_time: (row['message_time'] as number) ?? null,
    },
    metadata: asObject(parseJsonText(row['metadata'])),
    event_metadata: (parseJsonText(row['event_metadata']) ?? null) as JsonValue,
  };
  const type = String(row['event_type']);
  if (type === 'cais') {
    return {
      ...base,
      event_type: 'cais',
      model_name: String(row['model_name'] ?? ''),
      provider: String(row['provider'] ?? ''),
      input_tokens: Number(row['input_tokens'] ?? 0),
      output_tokens: Number(row['output_tokens'] ?? 0),
      total_tokens: Number(row['total_tokens'] ?? 0),
      cost_usd: Number(row['cost_usd'] ?? 0),
      latency_ms: Number(row['latency_ms'] ?? 0),
      span_id: (row['span_id'] as string) ?? null,
      trace_id: (row['trace_id'] as string) ?? null,
      call_records: (parseJsonText(row['call_records']) as never) ?? [],
    };
  }
  if (type === 'environment') {
    return {
      ...base,
      event_type: 'environment',
      reward: Number(row['reward'] ?? 0),
      terminated: Boolean(row['terminated']),
      truncated: Boolean(row['truncated']),
      system_state_before: (parseJsonText(row['system_state_before']) ?? null) as JsonValue,
      system_state_after: (parseJsonText(row['system_state_after']) ?? null) as JsonValue,
    };
  }
  const actions = asObject(parseJsonText(row['system_state_before']))['actions'] ?? base.metadata['actions'];
  return { ...base, event_type: 'runtime', actions: Array.isArray(actions) ? (actions as number[]) : [] };
}

/** The outcome columns (`o_*` aliases) of a summary query, or null without an outcome row. */
export function decodeOutcome(row: SqlRow): OutcomeReward | null {
  if (row['o_total_reward'] === null || row['o_total_reward'] === undefined) return null;
  return {
    total_reward: Number(row['o_total_reward']),
    achievements_count: Number(row['o_achievements_count'] ?? 0),
    total_steps: Number(row['o_total_steps'] ?? 0),
    reward_metadata: asObject(parseJsonText(row['o_reward_metadata'])),
  };
}

/** A summary row (see `reads.ts` SUMMARY_SELECT) as a SessionSummary. */
export function decodeSummary(row: SqlRow): SessionSummary {
  const id = String(row['session_id']);
  const total = row['total_reward'];
  return {
    session_id: id,
    created_at: String(row['created_at']),
    metadata: asObject(parseJsonText(row['metadata'])),
    total_reward: total === null || total === undefined ? null : Number(total),
    judge_metadata: decodeJudgeMetadata(row['judge_metadata'], id),
    num_timesteps: Number(row['num_timesteps'] ?? 0),
    num_events: Number(row['num_events'] ?? 0),
    num_messages: Number(row['num_messages'] ?? 0),
    outcome: decodeOutcome(row),
  };
}
