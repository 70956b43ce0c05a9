/**
 * Crafter as an `Environment`: one `interact_many` tool call runs up to 8 actions in order, stopping at
 * death or the step limit. Bad calls (unknown tool, bad JSON, unknown action names) are reported in
 * `info` and the tool result, never thrown; a call with no valid action runs one `noop`.
 * @module
 */
import { UsageError } from '../../errors.ts';
import type { Environment, EpisodeSummary, Observation, StepResult } from '../../task-app/environment.ts';
import type { ChatToolCall, JsonObject, JsonValue } from '../../tracing/types.ts';
import { parseAction } from './actions.ts';
import { type CrafterConfig, parseCrafterConfig } from './config.ts';
import { A, ACHIEVEMENTS, ACTIONS } from './constants.ts';
import { CrafterEngine } from './engine.ts';
import { observationData, observationText } from './observation.ts';
import { renderFrame } from './render.ts';
import { CRAFTER_TOOL_NAME, INTERACT_MANY_TOOL, MAX_ACTIONS_PER_CALL } from './tool.ts';

interface Rejection {
  index: number;
  value: JsonValue;
  reason: string;
}

/** Reads the call's action list; everything wrong with it becomes a rejection, never an exception. */
function readActions(call: ChatToolCall): { actions: number[]; rejected: Rejection[]; error?: string } {
  if (call?.function?.name !== CRAFTER_TOOL_NAME) {
    return {
      actions: [],
      rejected: [],
      error: `unknown tool ${JSON.stringify(call?.function?.name ?? null)}; use ${CRAFTER_TOOL_NAME}`,
    };
  }
  let args: unknown;
  try {
    args = JSON.parse(call.function.arguments || '{}');
  } catch {
    return {
      actions: [],
      rejected: [],
      error: 'arguments are not valid JSON; send {"actions": ["move_left", "do"]}',
    };
  }
  const list =
    typeof args === 'object' && args !== null ? (args as { actions?: unknown }).actions : undefined;
  if (!Array.isArray(list)) {
    return { actions: [], rejected: [], error: 'arguments need an "actions" array of action names' };
  }
  const actions: number[] = [];
  const rejected: Rejection[] = [];
  list.forEach((value: unknown, index) => {
    const json = (
      typeof value === 'string' || typeof value === 'number' ? value : String(value)
    ) as JsonValue;
    if (index >= MAX_ACTIONS_PER_CALL) {
      rejected.push({ index, value: json, reason: `only ${MAX_ACTIONS_PER_CALL} actions per call` });
      return;
    }
    const parsed = parseAction(value);
    if (parsed.ok) actions.push(parsed.id);
    else rejected.push({ index, value: json, reason: parsed.reason });
  });
  return { actions, rejected };
}

/** One Crafter episode behind the `Environment` interface. */
export class CrafterEnvironment implements Environment {
  readonly tools = [INTERACT_MANY_TOOL];
  readonly config: CrafterConfig;
  readonly seed: number;
  readonly split: string;
  #engine: CrafterEngine;

  constructor(options: { seed: number; split?: string; config?: JsonObject }) {
    if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
      throw new UsageError(
        `Crafter seed must be a non-negative integer, got ${JSON.stringify(options.seed)}`,
        {
          hint: 'use a seed such as 0, 1, 42',
        },
      );
    }
    this.config = parseCrafterConfig(options.config);
    this.seed = options.seed;
    this.split = options.split ?? 'train';
    this.#engine = new CrafterEngine({ seed: options.seed, length: this.config.episodeLength });
  }

  /** The engine of the current episode (for programmatic policies, tests and task info). */
  get engine(): CrafterEngine {
    return this.#engine;
  }

  reset(): Observation {
    this.#engine = new CrafterEngine({ seed: this.seed, length: this.config.episodeLength });
    return this.observe();
  }

  /** The current observation. */
  observe(): Observation {
    const obs: Observation = { text: observationText(this.#engine), data: observationData(this.#engine) };
    if (this.config.renderImage) obs.image = renderFrame(this.#engine, this.config.imageTileSize);
    return obs;
  }

  step(call: ChatToolCall): StepResult {
    const engine = this.#engine;
    const { actions, rejected, error } = readActions(call);
    const lines: string[] = [];
    if (error !== undefined) lines.push(`Error: ${error}.`);
    for (const r of rejected)
      lines.push(`Skipped action ${r.index + 1} (${JSON.stringify(r.value)}): ${r.reason}.`);
    if (engine.done) {
      lines.push('The episode is over; no action was run.');
      return this.#result(0, [], [], [], rejected, error, lines);
    }
    const run = actions.length > 0 ? actions : [A.noop];
    if (actions.length === 0) lines.push('No valid action, so one noop was run.');
    const executed: string[] = [];
    const rewards: number[] = [];
    const subSteps: JsonObject[] = [];
    for (const action of run) {
      const out = engine.stepAction(action);
      const unlocked = out.unlocked.map((i) => ACHIEVEMENTS[i]!);
      executed.push(ACTIONS[action]!);
      rewards.push(out.reward);
      subSteps.push({
        action: ACTIONS[action]!,
        reward: out.reward,
        new_achievements: unlocked,
        health: engine.health,
      });
      if (out.done) break;
    }
    const reward = rewards.reduce((a, b) => a + b, 0);
    const unlocked = subSteps.flatMap((s) => s['new_achievements'] as string[]);
    lines.push(
      `Ran ${executed.length} action(s): ${executed.join(', ')}. Reward ${reward >= 0 ? '+' : ''}${reward.toFixed(1)}.`,
    );
    if (unlocked.length > 0) lines.push(`New achievements: ${unlocked.join(', ')}.`);
    if (executed.length < run.length) lines.push('Stopped early: the episode ended.');
    if (engine.dead) lines.push('You died.');
    else if (engine.done) lines.push(`The step limit (${engine.length}) was reached.`);
    return this.#result(reward, executed, rewards, subSteps, rejected, error, lines);
  }

  #result(
    reward: number,
    executed: string[],
    rewards: number[],
    subSteps: JsonObject[],
    rejected: Rejection[],
    error: string | undefined,
    lines: string[],
  ): StepResult {
    const engine = this.#engine;
    const info: JsonObject = {
      actions_executed: executed,
      sub_rewards: rewards,
      sub_steps: subSteps,
      new_achievements: subSteps.flatMap((s) => s['new_achievements'] as string[]),
      rejected: rejected.map((r) => ({ ...r })),
      step: engine.step,
    };
    if (error !== undefined) info['error'] = error;
    return {
      observation: this.observe(),
      reward,
      terminated: engine.dead,
      truncated: engine.done && !engine.dead,
      info,
      toolResult: lines.join('\n'),
    };
  }

  summary(): EpisodeSummary {
    const engine = this.#engine;
    const achievements = engine.unlockedNames();
    return {
      total_reward: Math.round(engine.totalReward * 1e6) / 1e6,
      achievements_count: achievements.length,
      total_steps: engine.step,
      metadata: {
        achievements,
        seed: this.seed,
        split: this.split,
        dead: engine.dead,
        final_inventory: engine.inventoryRecord(),
        end: engine.dead ? 'death' : engine.done ? 'step_limit' : 'running',
      },
    };
  }
}

/** Builds a Crafter environment (the `EnvironmentFactory` of `grpo-crafter`). Throws `UsageError` on bad config. */
export function createCrafterEnvironment(options: {
  seed: number;
  split: string;
  config: JsonObject;
}): CrafterEnvironment {
  return new CrafterEnvironment(options);
}
