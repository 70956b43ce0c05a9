/**
 * Records one rollout through the tracing module's `SessionTracer`: a timestep per turn holding the turn's
 * chat messages (standard message types only), one `cais` event per LM call, one `environment` event per
 * env step with its state before and after (the tracer adds its sparse event reward), and the outcome.
 * @module
 */
import type { PolicyDecision } from '../policies/types.ts';
import { toCompactTrace } from '../tracing/compact-trace.ts';
import { SessionTracer } from '../tracing/session-tracer.ts';
import type { TraceStore } from '../tracing/store.ts';
import type { JsonObject, OutcomeReward, SessionTrace } from '../tracing/types.ts';

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

/** Turns rollout happenings into tracer calls; `finish` ends the session and returns the trace. */
export class RolloutTraceRecorder {
  readonly #tracer: SessionTracer;
  readonly #systemId: string;
  #turn: number | null = null;

  constructor(options: { systemInstanceId: string; metadata: JsonObject; store?: TraceStore | null }) {
    this.#systemId = options.systemInstanceId;
    this.#tracer = new SessionTracer({ store: options.store ?? null });
    this.#tracer.startSession({ metadata: options.metadata });
  }

  /** Opens the timestep of one turn (closing the previous one). */
  startTurn(turn: number): void {
    this.#turn = turn;
    this.#tracer.startTimestep(`turn_${turn}`, { turnNumber: turn });
  }

  /** Records a policy decision: its chat messages and one `cais` event per LM call. */
  recordDecision(decision: PolicyDecision, policyName: string): void {
    for (const message of decision.messages) {
      this.#tracer.recordMessage(message, {
        metadata: { policy_name: policyName, ...(message.tool_calls?.length ? { is_tool_call: true } : {}) },
      });
    }
    for (const call of decision.llmCalls) {
      const completed = Date.parse(call.completed_at) / 1000;
      this.#tracer.recordEvent({
        event_type: 'cais',
        system_instance_id: `policy:${policyName}`,
        ...(Number.isFinite(completed)
          ? { time_record: { event_time: completed, message_time: this.#turn } }
          : {}),
        metadata: { call_id: call.call_id },
        model_name: call.model_name,
        provider: call.provider,
        input_tokens: call.usage?.input_tokens ?? call.usage?.prompt_tokens ?? 0,
        output_tokens: call.usage?.output_tokens ?? call.usage?.completion_tokens ?? 0,
        total_tokens: call.usage?.total_tokens ?? 0,
        cost_usd: call.usage?.cost_usd ?? 0,
        latency_ms: call.latency_ms,
        call_records: [call],
      });
    }
  }

  /** Records an env step: the tool result message and the environment event. */
  recordStep(step: TracedStep): void {
    this.#tracer.recordMessage({ role: 'tool', content: step.toolResult, tool_call_id: step.toolCallId });
    this.#tracer.recordEvent({
      event_type: 'environment',
      system_instance_id: this.#systemId,
      metadata: { info: step.info },
      reward: step.reward,
      terminated: step.terminated,
      truncated: step.truncated,
      system_state_before: step.stateBefore,
      system_state_after: step.stateAfter,
    });
  }

  /** Sets the outcome and extra metadata, ends the session (writing it to the store, if any), returns it. */
  async finish(outcome: OutcomeReward, metadata: JsonObject = {}): Promise<SessionTrace> {
    this.#tracer.recordOutcomeReward({
      totalReward: outcome.total_reward,
      achievementsCount: outcome.achievements_count,
      totalSteps: outcome.total_steps,
      rewardMetadata: outcome.reward_metadata,
    });
    this.#tracer.updateMetadata(metadata);
    return this.#tracer.endSession();
  }
}

/** The compact trace form returned for `trace_format: "compact"`. */
export function compactTrace(trace: SessionTrace): JsonObject {
  return toCompactTrace(trace) as unknown as JsonObject;
}
