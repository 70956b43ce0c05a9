/**
 * Test fixtures: real SQLite trace DBs in os.tmpdir(), written through the tracing stage's store.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTraceStore } from '../../src/tracing/index.ts';
import type {
  ChatMessage,
  JsonObject,
  JudgeMetadata,
  SessionTrace,
  TraceMessage,
} from '../../src/tracing/types.ts';

export function tempDir(prefix = 'synth-filter-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface SessionSpec {
  id: string;
  createdAt?: string;
  metadata?: JsonObject;
  messages: (
    | ChatMessage
    | { type: TraceMessage['message_type']; content: ChatMessage; metadata?: JsonObject }
  )[];
  judge?: JudgeMetadata | null;
  reward?: number | null;
  achievements?: number;
}

/** A whole session trace as eval would record it. */
export function makeTrace(spec: SessionSpec, index = 0): SessionTrace {
  const base =
    Date.parse(spec.createdAt ?? `2025-10-22T00:00:${String(index % 60).padStart(2, '0')}Z`) / 1000;
  const messages: TraceMessage[] = spec.messages.map((m, i) => {
    const isWrapped = 'type' in m && 'content' in m && typeof (m as { type: unknown }).type === 'string';
    const chat = isWrapped ? (m as { content: ChatMessage }).content : (m as ChatMessage);
    const type = isWrapped
      ? (m as { type: TraceMessage['message_type'] }).type
      : chat.role === 'tool'
        ? 'tool_result'
        : chat.role;
    return {
      message_type: type as TraceMessage['message_type'],
      content: chat,
      time_record: { event_time: base + i * 0.001, message_time: i },
      metadata: (isWrapped ? (m as { metadata?: JsonObject }).metadata : undefined) ?? {},
    };
  });
  return {
    session_id: spec.id,
    created_at: spec.createdAt ?? new Date(base * 1000).toISOString(),
    session_time_steps: [],
    event_history: [],
    markov_blanket_message_history: messages,
    metadata: {
      env_name: 'crafter',
      policy_name: 'crafter-react',
      seed: index,
      model: 'gpt-4o-mini',
      task_split: 'train',
      task_id: 'crafter_classic',
      ...spec.metadata,
    },
    event_rewards: [],
    outcome:
      spec.reward === null
        ? null
        : {
            total_reward: spec.reward ?? 1,
            achievements_count: spec.achievements ?? 1,
            total_steps: 10,
            reward_metadata: {},
          },
    judge_metadata:
      spec.judge === undefined ? { primary: 0.9, event: 0.8, outcome: 0.85, reasoning: 'ok' } : spec.judge,
  };
}

/** Writes sessions into a new DB file and returns its path. */
export async function writeDb(sessions: SessionSpec[], dir = tempDir()): Promise<string> {
  const path = join(dir, 'traces.db');
  const store = await openTraceStore(path);
  if (!store) throw new Error('tracing disabled');
  try {
    for (const [i, spec] of sessions.entries()) await store.insertSession(makeTrace(spec, i));
  } finally {
    await store.close();
  }
  return path;
}

/** A Crafter-like stateless turn: system prompt + observation → tool call. */
export function crafterTurn(step: number, actions: string[], callId = `call_${step}`): ChatMessage[] {
  return [
    { role: 'system', content: 'You are playing Crafter. Use the interact_many tool.' },
    { role: 'user', content: `=== CRAFTER GAME STATE ===\nStep: ${step}/10000` },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: callId,
          type: 'function',
          function: { name: 'interact_many', arguments: JSON.stringify({ actions }) },
        },
      ],
    },
  ];
}

/** A parsed output line; tests read it loosely and let assertions do the checking. */
// biome-ignore lint/suspicious/noExplicitAny: JSON read back from a file under test
export type JsonLine = any;

export function readLines(path: string): JsonLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/** Tools that only an LM call record holds (the filter reads them from one session per env/policy/model). */
export const EVENT_TOOLS = [
  {
    type: 'function',
    function: { name: 'interact_many', description: 'act', parameters: { type: 'object', properties: {} } },
  },
];

/** Adds an LM call event whose record lists {@link EVENT_TOOLS}. */
export function withToolEvent(trace: SessionTrace): SessionTrace {
  trace.event_history.push({
    event_type: 'cais',
    system_instance_id: 'policy',
    time_record: { event_time: 1 },
    metadata: {},
    model_name: 'gpt-4o-mini',
    provider: 'openai',
    input_tokens: 1,
    output_tokens: 1,
    total_tokens: 2,
    cost_usd: 0,
    latency_ms: 1,
    call_records: [
      {
        call_id: 'c1',
        api_type: 'chat_completions',
        provider: 'openai',
        model_name: 'gpt-4o-mini',
        started_at: '2025-01-01T00:00:00Z',
        completed_at: '2025-01-01T00:00:01Z',
        latency_ms: 1,
        request_params: { model: 'gpt-4o-mini', tools: EVENT_TOOLS },
        input_messages: [],
        output_messages: [],
        output_text: null,
        output_tool_calls: [],
        usage: null,
        finish_reason: 'tool_calls',
        error: null,
        metadata: {},
      },
    ],
  });
  return trace;
}
