/**
 * Records a rollout as it runs, in memory, and hands the whole session to the store when it ends, so a
 * session is never visible half-written. One tracer records one session at a time.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { SynthError } from '../errors.ts';
import type { TraceStore } from './store.ts';
import { isoFromSeconds, nowSeconds } from './time.ts';
import type {
  ChatMessage,
  JsonObject,
  JsonValue,
  MessageType,
  SessionTimeStep,
  SessionTrace,
  TimeRecord,
  TraceEvent,
  TraceMessage,
} from './types.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event to record: time and metadata are filled in when missing (metadata gets the open step's id). */
export type TraceEventInput = DistributiveOmit<TraceEvent, 'time_record' | 'metadata'> & {
  time_record?: TimeRecord;
  metadata?: JsonObject;
};

/** A reward on a recorded event (`eventIndex` is what `recordEvent` returned). */
export interface EventRewardInput {
  eventIndex: number;
  rewardValue: number;
  rewardType: string;
  source: string;
  key?: string | null;
  annotation?: JsonValue;
  messageIndex?: number | null;
  turnNumber?: number | null;
}

/** The episode's outcome. */
export interface OutcomeRewardInput {
  totalReward: number;
  achievementsCount?: number;
  totalSteps?: number;
  rewardMetadata?: JsonObject;
}

/** Options of a tracer. */
export interface SessionTracerOptions {
  /** Where `endSession` writes; null or absent: keep in memory only. */
  store?: TraceStore | null;
  /** Clock in Unix seconds (tests pin it). */
  now?: () => number;
}

const ROLE_TO_TYPE: Record<ChatMessage['role'], MessageType> = {
  system: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool_result',
};

/** Records one session at a time; see the module comment. */
export class SessionTracer {
  readonly #store: TraceStore | null;
  readonly #now: () => number;
  #trace: SessionTrace | null = null;
  #step: SessionTimeStep | null = null;

  constructor(options: SessionTracerOptions = {}) {
    this.#store = options.store ?? null;
    this.#now = options.now ?? nowSeconds;
  }

  /** The id of the open session, or null. */
  get sessionId(): string | null {
    return this.#trace?.session_id ?? null;
  }

  #open(): SessionTrace {
    if (!this.#trace) throw new SynthError('no session is open', { hint: 'call startSession() first' });
    return this.#trace;
  }

  /** Opens a session; returns its id. */
  startSession(options: { sessionId?: string; metadata?: JsonObject; createdAt?: string } = {}): string {
    if (this.#trace) {
      throw new SynthError(`session ${this.#trace.session_id} is still open`, {
        hint: 'call endSession() first',
      });
    }
    this.#trace = {
      session_id: options.sessionId ?? randomUUID(),
      created_at: options.createdAt ?? isoFromSeconds(this.#now()),
      session_time_steps: [],
      event_history: [],
      markov_blanket_message_history: [],
      metadata: { ...(options.metadata ?? {}) },
      event_rewards: [],
      outcome: null,
      judge_metadata: null,
    };
    this.#step = null;
    return this.#trace.session_id;
  }

  /** Opens a timestep (closing the previous one). */
  startTimestep(
    stepId: string,
    options: { turnNumber?: number; metadata?: JsonObject } = {},
  ): SessionTimeStep {
    const trace = this.#open();
    if (this.#step) this.endTimestep();
    const step: SessionTimeStep = {
      step_id: stepId,
      step_index: trace.session_time_steps.length,
      timestamp: isoFromSeconds(this.#now()),
      turn_number: options.turnNumber ?? null,
      events: [],
      markov_blanket_messages: [],
      step_metadata: { ...(options.metadata ?? {}) },
      completed_at: null,
    };
    trace.session_time_steps.push(step);
    this.#step = step;
    return step;
  }

  /** Closes the open timestep, if any. */
  endTimestep(): void {
    if (this.#step) this.#step.completed_at = isoFromSeconds(this.#now());
    this.#step = null;
  }

  #metadata(extra: JsonObject | undefined): JsonObject {
    return this.#step ? { step_id: this.#step.step_id, ...(extra ?? {}) } : { ...(extra ?? {}) };
  }

  /** Records an event; returns its index in `event_history` (for event rewards). */
  recordEvent(input: TraceEventInput): number {
    const trace = this.#open();
    const event = {
      ...input,
      time_record: input.time_record ?? { event_time: this.#now(), message_time: null },
      metadata: this.#metadata(input.metadata),
    } as TraceEvent;
    const index = trace.event_history.push(event) - 1;
    this.#step?.events.push(event);
    if (event.event_type === 'environment') {
      // As synth-ai does: every environment step is also a sparse reward from the environment.
      trace.event_rewards.push({
        event_index: index,
        turn_number: this.#step?.turn_number ?? null,
        reward_value: event.reward,
        reward_type: 'sparse',
        source: 'environment',
      });
    }
    return index;
  }

  /** Records a chat message; the message type follows the role unless given. Returns its index. */
  recordMessage(
    message: ChatMessage,
    options: { messageType?: MessageType; metadata?: JsonObject; eventTime?: number } = {},
  ): number {
    const trace = this.#open();
    const record: TraceMessage = {
      message_type: options.messageType ?? ROLE_TO_TYPE[message.role],
      content: message,
      time_record: {
        event_time: options.eventTime ?? this.#now(),
        message_time: this.#step?.turn_number ?? null,
      },
      metadata: this.#metadata(options.metadata),
    };
    const index = trace.markov_blanket_message_history.push(record) - 1;
    this.#step?.markov_blanket_messages.push(record);
    return index;
  }

  /** Attaches a reward to a recorded event. */
  recordEventReward(input: EventRewardInput): void {
    const trace = this.#open();
    if (
      !Number.isInteger(input.eventIndex) ||
      input.eventIndex < 0 ||
      input.eventIndex >= trace.event_history.length
    ) {
      throw new SynthError(`event ${input.eventIndex} was not recorded in session ${trace.session_id}`, {
        hint: 'pass the index returned by recordEvent()',
      });
    }
    trace.event_rewards.push({
      event_index: input.eventIndex,
      message_index: input.messageIndex ?? null,
      turn_number: input.turnNumber ?? this.#step?.turn_number ?? null,
      reward_value: input.rewardValue,
      reward_type: input.rewardType,
      key: input.key ?? null,
      annotation: input.annotation ?? null,
      source: input.source,
    });
  }

  /** Sets the episode's outcome (a real number; never truncated). */
  recordOutcomeReward(input: OutcomeRewardInput): void {
    const trace = this.#open();
    trace.outcome = {
      total_reward: input.totalReward,
      achievements_count: input.achievementsCount ?? 0,
      total_steps: input.totalSteps ?? trace.session_time_steps.length,
      reward_metadata: { ...(input.rewardMetadata ?? {}) },
    };
  }

  /** Adds keys to the session metadata (task_id, task_split, model, seed, ...). */
  updateMetadata(extra: JsonObject): void {
    Object.assign(this.#open().metadata, extra);
  }

  /** A deep copy of the session so far. */
  snapshot(): SessionTrace {
    return structuredClone(this.#open());
  }

  /** Closes the session, writes it to the store (if any) and returns it. */
  async endSession(): Promise<SessionTrace> {
    const trace = this.#open();
    this.endTimestep();
    this.#trace = null;
    if (this.#store) await this.#store.insertSession(trace);
    return trace;
  }
}

/** Creates a tracer; see {@link SessionTracer}. */
export function createSessionTracer(options: SessionTracerOptions = {}): SessionTracer {
  return new SessionTracer(options);
}
