import { createCrafterEnvironment } from '../../../src/apps/crafter/environment.ts';
import type { Policy, PolicyDecision } from '../../../src/policies/types.ts';
import type { EpisodeSummary } from '../../../src/task-app/environment.ts';
import type { EnvironmentEvent, SessionTrace, TraceMessage } from '../../../src/tracing/types.ts';

/** Runs one episode of `policy` and records it as a SessionTrace (env events carry observation data). */
export async function runEpisode(
  policy: Policy,
  seed: number,
  length: number,
): Promise<{ summary: EpisodeSummary; trace: SessionTrace; decisions: PolicyDecision[] }> {
  const env = createCrafterEnvironment({ seed, split: 'train', config: { episode_length: length } });
  let observation = env.reset();
  const events: EnvironmentEvent[] = [];
  const messages: TraceMessage[] = [];
  const decisions: PolicyDecision[] = [];
  for (let turn = 0; ; turn++) {
    const decision = await policy.decide({ observation, tools: env.tools, history: [], turn, seed });
    decisions.push(decision);
    for (const m of decision.messages) {
      messages.push({
        message_type: m.role === 'tool' ? 'tool_result' : m.role,
        content: m,
        time_record: { event_time: turn },
        metadata: {},
      });
    }
    const before = observation.data;
    const result = env.step(decision.toolCalls[0]!);
    observation = result.observation;
    events.push({
      event_type: 'environment',
      system_instance_id: 'crafter',
      time_record: { event_time: turn },
      metadata: { info: result.info },
      reward: result.reward,
      terminated: result.terminated,
      truncated: result.truncated,
      system_state_before: before,
      system_state_after: observation.data,
    });
    if (result.terminated || result.truncated) break;
  }
  const summary = env.summary();
  const trace: SessionTrace = {
    session_id: `s-${seed}`,
    created_at: new Date(0).toISOString(),
    session_time_steps: [],
    event_history: events,
    markov_blanket_message_history: messages,
    metadata: { seed, env_name: 'crafter', policy_name: policy.name },
    event_rewards: [],
    outcome: null,
    judge_metadata: null,
  };
  return { summary, trace, decisions };
}
