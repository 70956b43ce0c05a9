/**
 * Reads a finished Crafter episode out of a `SessionTrace`, for the programmatic rubric: the structured
 * states that environment events carry in `system_state_after` (the observation `data`), their rewards,
 * and the actions the assistant asked for (from its `interact_many` calls).
 * @module
 */
import type { ChatMessage, ChatToolCall, JsonObject, SessionTrace } from '../../tracing/types.ts';
import { parseAction } from './actions.ts';
import { CRAFTER_TOOL_NAME } from './tool.ts';

/** The parts of an observation's `data` the rubric reads. */
export interface CrafterState {
  step?: number;
  max_steps?: number;
  position?: [number, number];
  health?: number;
  inventory?: Record<string, number>;
  achievements?: string[];
  dead?: boolean;
  done?: boolean;
}

/** A finished episode as the rubric sees it. */
export interface CrafterEpisode {
  /** One state per environment step, oldest first. */
  states: CrafterState[];
  rewards: number[];
  /** Action names requested by the policy, in order (invalid ones included). */
  actions: string[];
  /** Requested actions that were not valid names. */
  invalidActions: number;
  /** Tool calls that were malformed (bad JSON, wrong tool, no action list). */
  badCalls: number;
  terminated: boolean;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messagesOf(trace: SessionTrace): ChatMessage[] {
  const fromHistory = trace.markov_blanket_message_history.map((m) => m.content);
  if (fromHistory.length > 0) return fromHistory;
  return trace.session_time_steps.flatMap((s) => s.markov_blanket_messages.map((m) => m.content));
}

/** Adds one `interact_many` call's actions to the episode, counting malformed calls and invalid names. */
export function countToolCall(episode: CrafterEpisode, call: ChatToolCall): void {
  let list: unknown;
  try {
    list =
      call.function?.name === CRAFTER_TOOL_NAME
        ? (JSON.parse(call.function.arguments) as { actions?: unknown }).actions
        : undefined;
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.length === 0) {
    episode.badCalls++;
    return;
  }
  for (const value of list) {
    const parsed = parseAction(value);
    episode.actions.push(parsed.ok ? parsed.name : String(value));
    if (!parsed.ok) episode.invalidActions++;
  }
}

/** An episode with nothing recorded yet. */
export function emptyCrafterEpisode(terminated = false): CrafterEpisode {
  return { states: [], rewards: [], actions: [], invalidActions: 0, badCalls: 0, terminated };
}

/** Extracts the episode from a trace. Events without a structured state still count their reward. */
export function crafterEpisodeFromTrace(trace: SessionTrace): CrafterEpisode {
  const episode = emptyCrafterEpisode();
  for (const event of trace.event_history) {
    if (event.event_type !== 'environment') continue;
    episode.rewards.push(event.reward);
    if (event.terminated) episode.terminated = true;
    const state = event.system_state_after;
    // Accept the observation data itself or an object wrapping it (`{observation: {data}}` / `{data}`).
    const data = isObject(state) ? (isObject(state['data']) ? state['data'] : state) : undefined;
    if (data !== undefined) episode.states.push(data as CrafterState);
  }
  for (const message of messagesOf(trace)) {
    if (message.role !== 'assistant') continue;
    for (const call of message.tool_calls ?? []) countToolCall(episode, call);
  }
  return episode;
}
