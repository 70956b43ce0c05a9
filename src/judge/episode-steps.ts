import type { ChatMessage, JsonValue, SessionTrace, TraceEvent, TraceMessage } from '../tracing/types.ts';

/** One step of an episode, as the judges read it. */
export interface EpisodeStep {
  index: number;
  /** What the agent saw (user turn text), or the environment state when no user turn was recorded. */
  observation: string;
  /** Tool calls as `name(args)` lines, or runtime action ids. */
  actions: string[];
  /** Tool results returned to the agent. */
  results: string[];
  reward: number | null;
  done: boolean;
  /** Image URLs (data: or http:) seen at this step. */
  images: string[];
  /** The environment state after the step, when recorded. */
  stateAfter: JsonValue | undefined;
}

function textOf(message: ChatMessage, images: string[]): string {
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.content)) return '';
  const parts: string[] = [];
  for (const part of message.content) {
    if (part.type === 'text') parts.push(part.text);
    else {
      images.push(part.image_url.url);
      parts.push(`[image ${images.length}]`);
    }
  }
  return parts.join('\n');
}

function collect(
  step: EpisodeStep,
  messages: readonly TraceMessage[],
  events: readonly TraceEvent[],
): EpisodeStep {
  for (const m of messages) {
    const msg = m.content;
    if (!msg || typeof msg !== 'object') continue;
    if (msg.role === 'user') {
      const text = textOf(msg, step.images);
      step.observation = step.observation ? `${step.observation}\n${text}` : text;
    } else if (msg.role === 'assistant') {
      for (const call of msg.tool_calls ?? [])
        step.actions.push(`${call.function.name}(${call.function.arguments})`);
      const text = textOf(msg, step.images).trim();
      if (text && (msg.tool_calls ?? []).length === 0) step.actions.push(`says: ${text}`);
    } else if (msg.role === 'tool') {
      step.results.push(textOf(msg, step.images));
    }
  }
  let reward: number | null = null;
  for (const e of events) {
    if (e.event_type === 'environment') {
      reward = (reward ?? 0) + (Number.isFinite(e.reward) ? e.reward : 0);
      step.done = step.done || e.terminated || e.truncated;
      if (e.system_state_after !== undefined) step.stateAfter = e.system_state_after;
    } else if (e.event_type === 'runtime' && step.actions.length === 0) {
      step.actions.push(`actions ${JSON.stringify(e.actions)}`);
    }
  }
  step.reward = reward;
  if (!step.observation && step.stateAfter !== undefined) step.observation = JSON.stringify(step.stateAfter);
  return step;
}

function emptyStep(index: number): EpisodeStep {
  return {
    index,
    observation: '',
    actions: [],
    results: [],
    reward: null,
    done: false,
    images: [],
    stateAfter: undefined,
  };
}

/**
 * The steps of an episode, from its timesteps; a trace without timesteps becomes one step per environment event.
 * System prompts are left out: they are the same for every episode and say nothing about the agent.
 */
export function episodeSteps(trace: SessionTrace): EpisodeStep[] {
  const timesteps = [...(trace.session_time_steps ?? [])].sort((a, b) => a.step_index - b.step_index);
  if (timesteps.length > 0) {
    return timesteps.map((t, i) => collect(emptyStep(i), t.markov_blanket_messages ?? [], t.events ?? []));
  }
  const envEvents = (trace.event_history ?? []).filter((e) => e.event_type === 'environment');
  if (envEvents.length === 0) {
    return (trace.markov_blanket_message_history ?? []).length > 0
      ? [collect(emptyStep(0), trace.markov_blanket_message_history, [])]
      : [];
  }
  return envEvents.map((e, i) => collect(emptyStep(i), [], [e]));
}
