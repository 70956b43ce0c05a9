/**
 * Per-seed task info for `/task_info?seed=` (traits near the spawn and a difficulty label) and the
 * taskset description of `grpo-crafter`.
 * @module
 */
import type { JsonObject } from '../../tracing/types.ts';
import { ACHIEVEMENTS, ACTIONS, AREA, DEFAULT_EPISODE_LENGTH, K, M, VIEW_H, VIEW_W } from './constants.ts';
import { CrafterEngine } from './engine.ts';
import { CRAFTER_TOOL_NAME, MAX_ACTIONS_PER_CALL } from './tool.ts';

/** App id and alias. */
export const CRAFTER_APP_ID = 'grpo-crafter';
export const CRAFTER_APP_ALIASES = ['crafter'] as const;
/** Radius (Euclid) of the spawn neighbourhood the traits count. */
export const TRAIT_RADIUS = 10;

/** What is near the spawn of a seed's world. */
export interface CrafterTraits {
  trees: number;
  cows: number;
  hostiles: number;
  water: number;
  stone: number;
}

/** Counts trees, cows, hostiles (zombies, skeletons), water and stone within `TRAIT_RADIUS` of the spawn. */
export function crafterTraits(seed: number): CrafterTraits {
  const engine = new CrafterEngine({ seed });
  const { world, player } = engine;
  const traits: CrafterTraits = { trees: 0, cows: 0, hostiles: 0, water: 0, stone: 0 };
  for (let x = 0; x < AREA; x++) {
    for (let y = 0; y < AREA; y++) {
      if (Math.hypot(x - player.x, y - player.y) > TRAIT_RADIUS) continue;
      const m = world.material(x, y);
      if (m === M.tree) traits.trees++;
      else if (m === M.water) traits.water++;
      else if (m === M.stone) traits.stone++;
      const obj = world.objectAt(x, y);
      if (obj?.kind === K.cow) traits.cows++;
      else if (obj?.kind === K.zombie || obj?.kind === K.skeleton) traits.hostiles++;
    }
  }
  return traits;
}

/** Difficulty label from the traits: few trees or nearby hostiles make a start harder. */
export function crafterDifficulty(traits: CrafterTraits): 'easy' | 'medium' | 'hard' {
  if (traits.hostiles >= 2 || traits.trees < 3) return 'hard';
  if (traits.hostiles === 0 && traits.trees >= 8 && traits.cows >= 1 && traits.water > 0) return 'easy';
  return 'medium';
}

/** The TaskInfo of one seed. */
export function crafterTaskInfo(seed: number, split = 'train'): JsonObject {
  const traits = crafterTraits(seed);
  const difficulty = crafterDifficulty(traits);
  return {
    task: { id: CRAFTER_APP_ID, name: 'Crafter', version: '1.0.0' },
    environment: 'crafter',
    dataset: { id: 'crafter_classic_procedural', split, seed },
    action_space: { type: 'tool_call', tool: CRAFTER_TOOL_NAME, actions: [...ACTIONS], size: ACTIONS.length },
    observation: { text: true, image: 'optional (env.config.render_image)', view: [VIEW_W, VIEW_H] },
    limits: { max_steps: DEFAULT_EPISODE_LENGTH, max_actions_per_call: MAX_ACTIONS_PER_CALL },
    task_metadata: { seed, split, difficulty, traits: { ...traits }, trait_radius: TRAIT_RADIUS },
  };
}

/** The taskset description (`/task_info` with no seed). */
export function crafterTaskset(): JsonObject {
  return {
    id: CRAFTER_APP_ID,
    name: 'Crafter',
    description:
      'Open-world survival: gather resources, craft tools, eat, drink, sleep and fight to unlock up to 22 achievements in a ' +
      '64x64 procedurally generated world. Reward: +1 for each achievement the first time it is unlocked, plus health change / 10.',
    splits: ['train', 'test'],
    seeds: { min: 0, max: 2 ** 31 - 1, default: 42 },
    area: [AREA, AREA],
    episode_length: DEFAULT_EPISODE_LENGTH,
    achievements: [...ACHIEVEMENTS],
    actions: [...ACTIONS],
    tool: CRAFTER_TOOL_NAME,
    difficulty_labels: ['easy', 'medium', 'hard'],
  };
}
