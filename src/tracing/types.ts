/**
 * The data model of a session trace: what a rollout records and the trace store keeps.
 * Shapes follow synth-ai's tracing v3 (session → timesteps → events and messages, plus rewards),
 * with chat messages kept in OpenAI chat form so the filter can emit them unchanged.
 * @module
 */

/** Message types allowed by the `messages.message_type` CHECK constraint. */
export const MESSAGE_TYPES = ['user', 'assistant', 'system', 'tool_use', 'tool_result'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Event types allowed by the `events.event_type` CHECK constraint. */
export const EVENT_TYPES = ['cais', 'environment', 'runtime'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A part of a multimodal chat message, as OpenAI's chat API takes it. */
export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

/** A tool call made by the assistant: `arguments` is a JSON string, as OpenAI sends it. */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One chat turn in OpenAI chat form. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | ContentPart[] | null;
  tool_calls?: ChatToolCall[];
  /** Set on `role: 'tool'` messages: the id of the call this answers. */
  tool_call_id?: string;
  name?: string;
}

/** A tool definition in OpenAI's `tools` form. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonObject; strict?: boolean };
}

/** When something happened: `event_time` is Unix seconds (float); `message_time` an optional turn counter. */
export interface TimeRecord {
  event_time: number;
  message_time?: number | null;
}

/** A message stored in the `messages` table. `content` is stored as the JSON of the chat message. */
export interface TraceMessage {
  message_type: MessageType;
  content: ChatMessage;
  time_record: TimeRecord;
  metadata: JsonObject;
}

/** Token usage of one LM call. Both naming schemes are kept: OpenAI's `prompt_tokens` and v3's `input_tokens`. */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens?: number;
  cached_tokens?: number;
  /** USD, never integer cents. */
  cost_usd?: number;
}

/** One tool call as the LM call record keeps it. */
export interface RecordedToolCall {
  name: string;
  arguments_json: string;
  call_id: string;
  index: number;
}

/** Everything about one LLM call; keys and secrets never appear here. */
export interface LLMCallRecord {
  call_id: string;
  api_type: 'chat_completions' | 'completions' | 'responses' | 'messages';
  provider: string;
  model_name: string;
  /** ISO-8601 timestamps. */
  started_at: string;
  completed_at: string;
  latency_ms: number;
  request_params: JsonObject;
  input_messages: ChatMessage[];
  output_messages: ChatMessage[];
  output_text: string | null;
  output_tool_calls: RecordedToolCall[];
  usage: TokenUsage | null;
  finish_reason: string | null;
  error: { type: string; message: string; status?: number } | null;
  metadata: JsonObject;
}

interface BaseEvent {
  system_instance_id: string;
  time_record: TimeRecord;
  metadata: JsonObject;
  event_metadata?: JsonValue;
}

/** An LM call event (`cais`). */
export interface LMCAISEvent extends BaseEvent {
  event_type: 'cais';
  model_name: string;
  provider: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  latency_ms: number;
  span_id?: string | null;
  trace_id?: string | null;
  call_records: LLMCallRecord[];
}

/** An environment step event. */
export interface EnvironmentEvent extends BaseEvent {
  event_type: 'environment';
  reward: number;
  terminated: boolean;
  truncated: boolean;
  system_state_before?: JsonValue;
  system_state_after?: JsonValue;
}

/** A runtime event: the actions a policy decided on. */
export interface RuntimeEvent extends BaseEvent {
  event_type: 'runtime';
  actions: number[];
}

export type TraceEvent = LMCAISEvent | EnvironmentEvent | RuntimeEvent;

/** One turn of a session: the events and messages recorded while it was open. */
export interface SessionTimeStep {
  step_id: string;
  step_index: number;
  /** ISO-8601. */
  timestamp: string;
  turn_number?: number | null;
  events: TraceEvent[];
  markov_blanket_messages: TraceMessage[];
  step_metadata: JsonObject;
  completed_at?: string | null;
}

export const REWARD_TYPES = ['shaped', 'sparse', 'achievement', 'penalty', 'evaluator', 'human'] as const;
export const REWARD_SOURCES = ['environment', 'runner', 'evaluator', 'human'] as const;

/** A reward attached to one event (index into `event_history`). */
export interface EventReward {
  event_index: number;
  message_index?: number | null;
  turn_number?: number | null;
  reward_value: number;
  reward_type: string;
  key?: string | null;
  annotation?: JsonValue;
  source: string;
}

/** The episode's outcome. `total_reward` is a real number (never truncated to an integer). */
export interface OutcomeReward {
  total_reward: number;
  achievements_count: number;
  total_steps: number;
  reward_metadata: JsonObject;
}

/**
 * A judge verdict as stored in `session_traces.judge_metadata`: seed 000's shape
 * (`primary`, `event`, `outcome`, `reasoning`, `metadata`), plus named judges under their names.
 */
export interface JudgeMetadata {
  primary?: number | null;
  event?: number | null;
  outcome?: number | null;
  reasoning?: string | null;
  metadata?: JsonObject;
  [judgeName: string]: JsonValue | undefined;
}

/** A whole session trace, as recorded and as stored in `session_traces.trace_data`. */
export interface SessionTrace {
  session_id: string;
  /** ISO-8601 UTC. */
  created_at: string;
  session_time_steps: SessionTimeStep[];
  event_history: TraceEvent[];
  markov_blanket_message_history: TraceMessage[];
  /** Selection keys live here: task_id, task_split, model, policy_name, seed, env_name, official_score. */
  metadata: JsonObject;
  session_metadata?: JsonValue;
  event_rewards: EventReward[];
  outcome: OutcomeReward | null;
  judge_metadata: JudgeMetadata | null;
}
