/**
 * The `grpo-crafter` task app (alias `crafter`): the Crafter port served by the task app SDK, with its
 * `random` and `scripted` built-in policies and its programmatic rubric as the outcome and event scores.
 * @module
 */
import { UsageError } from '../errors.ts';
import { createCrafterRandomPolicy } from '../policies/crafter-random.ts';
import { createCrafterScriptedPolicy } from '../policies/crafter-scripted.ts';
import { defineTaskApp, type EpisodeResult } from '../task-app/define.ts';
import type { TaskInfo } from '../task-app/info-contract.ts';
import type { ChatToolCall } from '../tracing/types.ts';
import { createCrafterEnvironment } from './crafter/environment.ts';
import { CRAFTER_SYSTEM_PROMPT } from './crafter/prompt.ts';
import { CRAFTER_RUBRIC, gradeCrafterEpisode } from './crafter/rubric.ts';
import {
  type CrafterEpisode,
  type CrafterState,
  countToolCall,
  emptyCrafterEpisode,
} from './crafter/rubric-episode.ts';
import { CRAFTER_APP_ALIASES, CRAFTER_APP_ID, crafterTaskInfo, crafterTaskset } from './crafter/task-info.ts';
import { CRAFTER_TOOL_NAME } from './crafter/tool.ts';

const MAX_SEED = 2 ** 31 - 1;

/** Rebuilds the rubric's view of an episode from the rollout's steps (no trace needed). */
export function crafterEpisodeFromSteps(result: EpisodeResult): CrafterEpisode {
  const episode = emptyCrafterEpisode(result.terminated);
  result.steps.forEach((step, index) => {
    episode.rewards.push(step.reward ?? 0);
    // A step's obs is the state before it; the state after is the next step's obs, or the final one.
    const after =
      index + 1 < result.steps.length ? result.steps[index + 1]!.obs : result.finalObservation.data;
    episode.states.push(after as CrafterState);
    for (const raw of step.tool_calls) countToolCall(episode, raw as unknown as ChatToolCall);
  });
  return episode;
}

/** The Crafter task app. */
export const grpoCrafterApp = defineTaskApp({
  id: CRAFTER_APP_ID,
  aliases: [...CRAFTER_APP_ALIASES],
  name: 'Crafter',
  description:
    'Open-world survival (a TypeScript port of Crafter): act with interact_many to unlock up to 22 achievements.',
  version: '1.0.0',
  describeTaskset: () => crafterTaskset(),
  taskInfo(seed) {
    if (seed > MAX_SEED)
      throw new UsageError(`Crafter seeds go up to ${MAX_SEED}`, { hint: 'use a seed in 0..2^31-1' });
    return crafterTaskInfo(seed) as Partial<TaskInfo>;
  },
  rubrics: {
    outcome: {
      id: CRAFTER_RUBRIC.id,
      version: CRAFTER_RUBRIC.outcome.version,
      goal_text: CRAFTER_RUBRIC.goal_text,
      aggregation: CRAFTER_RUBRIC.outcome.aggregation,
      criteria: CRAFTER_RUBRIC.outcome.criteria.map((c) => ({ ...c })),
      scoring_guide: { ...CRAFTER_RUBRIC.scoring_guide },
    },
    events: {
      id: CRAFTER_RUBRIC.id,
      version: CRAFTER_RUBRIC.events.version,
      aggregation: CRAFTER_RUBRIC.events.aggregation,
      criteria: CRAFTER_RUBRIC.events.criteria.map((c) => ({ ...c })),
    },
  },
  policies: {
    random: ({ seed, config }) => createCrafterRandomPolicy({ seed, config }),
    scripted: ({ seed, config }) => createCrafterScriptedPolicy({ seed, config }),
  },
  defaultPolicy: 'scripted',
  llm: { systemPrompt: CRAFTER_SYSTEM_PROMPT, toolChoice: { name: CRAFTER_TOOL_NAME } },
  dataset: { id: 'crafter_classic_procedural', seeds: { min: 0, max: MAX_SEED, default: 42 } },
  limits: { max_turns: 10, max_actions_per_call: 8, episode_length: 10_000 },
  // As synth-ai: ten agent/env turns unless the request says otherwise.
  defaultMaxSteps: 10,
  defaultSplit: 'train',
  environment: ({ seed, split, config }) => {
    if (seed > MAX_SEED)
      throw new UsageError(`Crafter seeds go up to ${MAX_SEED}`, { hint: 'use a seed in 0..2^31-1' });
    return createCrafterEnvironment({ seed, split, config });
  },
  score(result) {
    const grade = gradeCrafterEpisode(crafterEpisodeFromSteps(result));
    return {
      outcome_score: grade.outcome.score,
      events_score: grade.events.score,
      details: {
        achievements: (result.summary.metadata.achievements ?? []) as string[],
        achievements_count: result.summary.achievements_count,
        end: result.summary.metadata.end ?? null,
        rubric_id: grade.rubric_id,
        rubric_band: grade.band,
        outcome_criteria: grade.outcome.per_criterion.map((c) => ({
          id: c.id,
          score: c.score,
          reason: c.reason,
        })),
        events_criteria: grade.events.per_criterion.map((c) => ({
          id: c.id,
          score: c.score,
          reason: c.reason,
        })),
      },
    };
  },
});
