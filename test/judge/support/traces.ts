import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionTimeStep, SessionTrace } from '../../../src/tracing/types.ts';

/** A fresh temp directory for one test's files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'synth-judge-'));
}

export interface StepSpec {
  action: string;
  reward?: number;
  health?: number;
  pos?: [number, number];
  achievements?: string[];
  obsExtra?: string;
}

/** A Crafter-like trace: user observation text, assistant tool call, tool result, environment event with state. */
export function crafterTrace(id: string, steps: StepSpec[], extra: Partial<SessionTrace> = {}): SessionTrace {
  const t0 = 1_700_000_000;
  const timesteps: SessionTimeStep[] = steps.map((s, i) => {
    const ach = s.achievements ?? [];
    const obs = `=== CRAFTER GAME STATE ===\nStep: ${i}/100\nHealth: ${s.health ?? 9}\nPosition: [${s.pos?.[0] ?? 10}, ${s.pos?.[1] ?? 10}]\nAchievements: ${ach.length ? ach.join(', ') : 'none'}${s.obsExtra ? `\n${s.obsExtra}` : ''}`;
    return {
      step_id: `s${i}`,
      step_index: i,
      timestamp: new Date((t0 + i) * 1000).toISOString(),
      events: [
        {
          event_type: 'environment',
          system_instance_id: 'crafter',
          time_record: { event_time: t0 + i },
          metadata: {},
          reward: s.reward ?? 0,
          terminated: (s.health ?? 9) <= 0,
          truncated: false,
          system_state_after: {
            text: obs,
            data: {
              step: i + 1,
              health: s.health ?? 9,
              position: s.pos ?? [10, 10],
              achievements: ach,
              dead: (s.health ?? 9) <= 0,
            },
          },
        },
      ],
      markov_blanket_messages: [
        {
          message_type: 'user',
          content: { role: 'user', content: obs },
          time_record: { event_time: t0 + i },
          metadata: {},
        },
        {
          message_type: 'assistant',
          content: {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: `c${i}`,
                type: 'function',
                function: { name: 'interact_many', arguments: JSON.stringify({ actions: [s.action] }) },
              },
            ],
          },
          time_record: { event_time: t0 + i },
          metadata: {},
        },
      ],
      step_metadata: {},
    };
  });
  const total = steps.reduce((a, s) => a + (s.reward ?? 0), 0);
  return {
    session_id: id,
    created_at: new Date(t0 * 1000).toISOString(),
    session_time_steps: timesteps,
    event_history: timesteps.flatMap((t) => t.events),
    markov_blanket_message_history: timesteps.flatMap((t) => t.markov_blanket_messages),
    metadata: {
      env_name: 'crafter',
      task_id: 'crafter_classic_procedural',
      task_split: 'train',
      seed: 1,
      model: 'policy-x',
    },
    event_rewards: [],
    outcome: {
      total_reward: total,
      achievements_count: steps.at(-1)?.achievements?.length ?? 0,
      total_steps: steps.length,
      reward_metadata: {},
    },
    judge_metadata: null,
    ...extra,
  };
}

/** A short wandering episode that unlocks `n` achievements. */
export function episodeWith(id: string, n: number, length = 6): SessionTrace {
  const names = [
    'collect_wood',
    'place_table',
    'make_wood_pickaxe',
    'collect_stone',
    'collect_sapling',
    'collect_drink',
    'place_plant',
  ];
  const steps: StepSpec[] = [];
  for (let i = 0; i < length; i += 1) {
    const unlocked = names.slice(0, Math.min(n, Math.floor(((i + 1) * n) / length)));
    steps.push({
      action: i % 2 ? 'do' : 'move_left',
      reward: unlocked.length > (steps.at(-1)?.achievements?.length ?? 0) ? 1 : 0,
      pos: [10 + i, 10],
      achievements: unlocked,
    });
  }
  return crafterTrace(id, steps);
}
