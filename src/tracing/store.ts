import type { JudgeMetadata, OutcomeReward, SessionTrace, TraceMessage } from './types.ts';

/**
 * Which sessions to read. Every field is optional; the store turns the selection into SQL
 * (lists become IN, thresholds become comparisons on indexed or JSON columns).
 */
export interface SessionSelection {
  sessionIds?: readonly string[];
  /** `metadata.task_split` ∈ splits. */
  splits?: readonly string[];
  /** `metadata.task_id` ∈ taskIds. */
  taskIds?: readonly string[];
  /** `metadata.model` ∈ models. */
  models?: readonly string[];
  /** `session_traces.total_reward` (the environment return, unclamped) ≥ / ≤. */
  minOfficialScore?: number;
  maxOfficialScore?: number;
  /** Judge scores by name (`primary`, `event`, `outcome`, or a named judge): missing fails a min or a max. */
  minJudgeScores?: Readonly<Record<string, number>>;
  maxJudgeScores?: Readonly<Record<string, number>>;
  /** ISO-8601 bounds on `created_at`, inclusive. */
  minCreatedAt?: string;
  maxCreatedAt?: string;
  /** Only sessions with / without `judge_metadata`. */
  judged?: boolean;
  /** Default: created_at ascending, then session_id. */
  order?: 'created_at' | 'random';
  /** Seed for `order: 'random'` so a shuffle repeats. */
  shuffleSeed?: number;
  limit?: number;
  offset?: number;
}

/** A session row without its timesteps and events: what selection listing returns. */
export interface SessionSummary {
  session_id: string;
  created_at: string;
  metadata: Record<string, unknown>;
  total_reward: number | null;
  judge_metadata: JudgeMetadata | null;
  num_timesteps: number;
  num_events: number;
  num_messages: number;
  outcome: OutcomeReward | null;
}

/** A summary plus its messages in recorded order: what the filter and the judges read. */
export interface SessionWithMessages extends SessionSummary {
  messages: TraceMessage[];
}

/**
 * A message as the DB stores it, unparsed: what bulk readers (the filter) take to skip decoding rows whose
 * JSON they would parse or copy anyway.
 */
export interface RawTraceMessage {
  message_type: string;
  /** `messages.content`: our chat message as JSON, or the Python synth-ai's text or JSON wrapper. */
  content: string | null;
  /** `messages.metadata`: JSON object text, or null. */
  metadata: string | null;
}

/** A summary plus its messages as stored, in recorded order. */
export interface SessionWithRawMessages extends SessionSummary {
  messages: RawTraceMessage[];
}

/**
 * Where traces live. SQLite (libsql) is the embedded default; other backends implement the same contract.
 * Writes are whole sessions: a session becomes visible when `insertSession` resolves, never half.
 */
export interface TraceStore {
  /** Where the store is, as a display string with no credentials. */
  readonly location: string;
  /** Writes a finished session atomically (its messages, events, timesteps and rewards together). */
  insertSession(trace: SessionTrace): Promise<void>;
  /** The whole trace as recorded, or null. */
  getSession(sessionId: string): Promise<SessionTrace | null>;
  /** Streams matching sessions, without loading the whole result into memory. */
  listSessions(selection?: SessionSelection): AsyncIterable<SessionSummary>;
  /** Streams matching sessions with their messages (ordered by timestamp, then insertion). */
  iterateSessionsWithMessages(selection?: SessionSelection): AsyncIterable<SessionWithMessages>;
  /**
   * The same stream with each message as stored (content and metadata left as JSON text), reading only the
   * columns that needs. Optional: a reader falls back to {@link iterateSessionsWithMessages} without it.
   */
  iterateSessionsWithRawMessages?(selection?: SessionSelection): AsyncIterable<SessionWithRawMessages>;
  /** Counts matching sessions. */
  countSessions(selection?: SessionSelection): Promise<number>;
  /** Merges a verdict into `judge_metadata` (named judges under their names); other keys are kept. */
  mergeJudgeMetadata(sessionId: string, verdict: JudgeMetadata): Promise<void>;
  /** Waits for pending writes and releases the database. Safe to call twice. */
  close(): Promise<void>;
}
