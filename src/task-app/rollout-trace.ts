/**
 * Records one rollout as a session trace (tracing v3 model): a timestep per turn holding the turn's chat
 * messages (standard message types only), one `cais` event per LM call, one `environment` event per env
 * step with its state before and after, a sparse event reward per step, and the outcome.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { PolicyDecision } from '../policies/types.ts';
import type {
  ChatMessage,
  EnvironmentEvent,
  JsonObject,
  LMCAISEvent,
  MessageType,
  OutcomeReward,
  SessionTimeStep,
  SessionTrace,
  TraceEvent,
  TraceMessage,
} from '../tracing/types.ts';

/** One environment step, as the trace keeps it. */
export interface TracedStep {
  stateBefore: JsonObject;
  stateAfter: JsonObject;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: JsonObject;
  toolCallId: string;
  toolResult: string;
}

const now = (): number => Date.now() / 1000;

function messageType(message: ChatMessage): MessageType {
  if (message.role === 'tool') return 'tool_result';
  return message.role;
}

/** Builds a session trace turn by turn; `finish` returns the whole trace. */
export class RolloutTraceRecorder {
  readonly #trace: SessionTrace;
  readonly #systemId: string;
  #current: SessionTimeStep | null = null;

  constructor(options: { systemInstanceId: string; metadata: JsonObject; sessionId?: string }) {
    this.#systemId = options.systemInstanceId;
    this.#trace = {
      session_id: options.sessionId ?? `session_${randomUUID()}`,
      created_at: new Date().toISOString(),
      session_time_steps: [],
      event_history: [],
      markov_blanket_message_history: [],
      metadata: { ...options.metadata },
      event_rewards: [],
      outcome: null,
      judge_metadata: null,
    };
  }

  get sessionId(): string {
    return this.#trace.session_id;
  }

  /** Opens the timestep of one turn (closing the previous one). */
  startTurn(turn: number): void {
    this.endTurn();
    this.#current = {
      step_id: `turn_${turn}`,
      step_index: this.#trace.session_time_steps.length,
      timestamp: new Date().toISOString(),
      turn_number: turn,
      events: [],
      markov_blanket_messages: [],
      step_metadata: {},
      completed_at: null,
    };
    this.#trace.session_time_steps.push(this.#current);
  }

  /** Closes the open timestep, if any. */
  endTurn(): void {
    if (this.#current && !this.#current.completed_at) this.#current.completed_at = new Date().toISOString();
    this.#current = null;
  }

  #message(message: ChatMessage, metadata: JsonObject): void {
    const turn = this.#current?.turn_number ?? null;
    const record: TraceMessage = {
      message_type: messageType(message),
      content: message,
      time_record: { event_time: now(), message_time: turn },
      metadata: { ...metadata, ...(message.tool_calls?.length ? { is_tool_call: true } : {}) },
    };
    this.#current?.markov_blanket_messages.push(record);
    this.#trace.markov_blanket_message_history.push(record);
  }

  #event(event: TraceEvent): number {
    this.#current?.events.push(event);
    this.#trace.event_history.push(event);
    return this.#trace.event_history.length - 1;
  }

  /** Records a policy decision: its chat messages and one `cais` event per LM call. */
  recordDecision(decision: PolicyDecision, policyName: string): void {
    const stepId = this.#current?.step_id ?? null;
    for (const message of decision.messages)
      this.#message(message, { step_id: stepId, policy_name: policyName });
    for (const call of decision.llmCalls) {
      const event: LMCAISEvent = {
        event_type: 'cais',
        system_instance_id: `policy:${policyName}`,
        time_record: {
          event_time: Date.parse(call.completed_at) / 1000 || now(),
          message_time: this.#current?.turn_number ?? null,
        },
        metadata: { step_id: stepId, call_id: call.call_id },
        model_name: call.model_name,
        provider: call.provider,
        input_tokens: call.usage?.input_tokens ?? call.usage?.prompt_tokens ?? 0,
        output_tokens: call.usage?.output_tokens ?? call.usage?.completion_tokens ?? 0,
        total_tokens: call.usage?.total_tokens ?? 0,
        cost_usd: call.usage?.cost_usd ?? 0,
        latency_ms: call.latency_ms,
        call_records: [call],
      };
      this.#event(event);
    }
  }

  /** Records an env step: the tool result message, the environment event and its sparse reward. */
  recordStep(step: TracedStep): void {
    const stepId = this.#current?.step_id ?? null;
    this.#message(
      { role: 'tool', content: step.toolResult, tool_call_id: step.toolCallId },
      { step_id: stepId },
    );
    const event: EnvironmentEvent = {
      event_type: 'environment',
      system_instance_id: this.#systemId,
      time_record: { event_time: now(), message_time: this.#current?.turn_number ?? null },
      metadata: { step_id: stepId, info: step.info },
      reward: step.reward,
      terminated: step.terminated,
      truncated: step.truncated,
      system_state_before: step.stateBefore,
      system_state_after: step.stateAfter,
    };
    const index = this.#event(event);
    this.#trace.event_rewards.push({
      event_index: index,
      turn_number: this.#current?.turn_number ?? null,
      reward_value: step.reward,
      reward_type: 'sparse',
      source: 'environment',
    });
  }

  /** Sets the outcome and extra metadata, closes the last turn and returns the trace. */
  finish(outcome: OutcomeReward, metadata: JsonObject = {}): SessionTrace {
    this.endTurn();
    this.#trace.outcome = outcome;
    Object.assign(this.#trace.metadata, metadata);
    return this.#trace;
  }
}

/** The compact trace form: counts, LM call summaries and per-turn rewards, no message bodies. */
export function compactTrace(trace: SessionTrace): JsonObject {
  const lmCalls: JsonObject[] = [];
  for (const event of trace.event_history) {
    if (event.event_type !== 'cais') continue;
    lmCalls.push({
      model_name: event.model_name,
      provider: event.provider,
      input_tokens: event.input_tokens,
      output_tokens: event.output_tokens,
      total_tokens: event.total_tokens,
      cost_usd: event.cost_usd,
      latency_ms: event.latency_ms,
      turn: event.time_record.message_time ?? null,
    });
  }
  const decisionRewards = trace.session_time_steps.map((step) => ({
    turn: step.turn_number ?? step.step_index,
    reward: step.events.reduce((sum, e) => (e.event_type === 'environment' ? sum + e.reward : sum), 0),
  }));
  return {
    session_id: trace.session_id,
    created_at: trace.created_at,
    metadata: trace.metadata,
    events_count: trace.event_history.length,
    messages_count: trace.markov_blanket_message_history.length,
    lm_calls: lmCalls,
    decision_rewards: decisionRewards,
    outcome: trace.outcome as unknown as JsonObject,
  };
}
