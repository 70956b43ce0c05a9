import type { SessionTrace } from '../tracing/types.ts';
import { type CrafterStepState, crafterStates } from './crafter-state.ts';
import type { Verifier } from './programmatic-judge.ts';
import { parseRubric } from './rubric-parse.ts';
import type { JudgeRubric } from './rubric-types.ts';

/**
 * Crafter's rubric in the seeds' bundle form (`crafter/bundle@v1`), with the seeds' scoring guide, and
 * synth-ai's Crafter event criteria for per-step judging.
 */
export const CRAFTER_RUBRIC_DOCUMENT = {
  global_rubric: {
    id: 'crafter/bundle@v1',
    description: 'Evaluate agent performance in Crafter environment',
    criteria: [
      {
        id: 'achievement_progression',
        description: 'Achievement progression (collect wood, make tools, etc.)',
      },
      { id: 'survival_capability', description: 'Survival capability (health management, avoid death)' },
      { id: 'exploration_behavior', description: 'Exploration behavior (discovering new areas)' },
      { id: 'resource_efficiency', description: 'Resource efficiency (optimal use of actions)' },
    ],
    scoring_guide: {
      '0.9-1.0': 'Excellent: Multiple achievements, efficient, strategic',
      '0.7-0.9': 'Good: Some achievements, mostly efficient',
      '0.5-0.7': 'Adequate: Basic progress, some inefficiency',
      '0.3-0.5': 'Poor: Minimal progress, inefficient',
      '0.0-0.3': 'Very poor: No progress, random actions',
    },
  },
  events: {
    goal_text: 'Judge each Crafter decision by the progress it makes',
    aggregation: 'weighted_sum',
    criteria: [
      {
        id: 'achievement_unlocks',
        description: 'The step unlocks an achievement or directly enables one',
        weight: 0.55,
      },
      {
        id: 'milestone_setup',
        description: 'The step sets up a later milestone (table, tools, resources)',
        weight: 0.2,
      },
      { id: 'inventory_depth', description: 'The step grows useful inventory', weight: 0.15 },
      {
        id: 'execution_quality',
        description: 'The actions are valid and purposeful, not wasted',
        weight: 0.1,
      },
    ],
  },
} as const;

/** The parsed Crafter rubric. */
export const CRAFTER_JUDGE_RUBRIC: JudgeRubric = parseRubric(CRAFTER_RUBRIC_DOCUMENT);

/** Unlocking this many achievements scores 1: the first tier is reachable in a short episode. */
export const CRAFTER_ACHIEVEMENT_TARGET = 6;
const MAX_HEALTH = 9;

function summary(states: CrafterStepState[]) {
  const last = states.at(-1);
  const achievements = [...(last?.achievements ?? [])].sort();
  const positions = new Set(states.map((s) => s.position).filter((p): p is string => p !== null));
  const health = last?.health ?? null;
  const died = health !== null && health <= 0;
  const alive = states.filter((s) => s.health === null || s.health > 0).length;
  let useful = 0;
  for (let i = 0; i < states.length; i += 1) {
    const prev = states[i - 1];
    const cur = states[i] as CrafterStepState;
    const changed = !prev
      ? cur.achievements.size > 0 || cur.position !== null
      : prev.position !== cur.position ||
        prev.achievements.size !== cur.achievements.size ||
        JSON.stringify(prev.inventory) !== JSON.stringify(cur.inventory);
    if (changed && !/noop/.test(cur.action)) useful += 1;
  }
  return { achievements, positions: positions.size, health, died, alive, useful, steps: states.length };
}

const memo = new WeakMap<SessionTrace, ReturnType<typeof summary>>();
function of(trace: SessionTrace) {
  let s = memo.get(trace);
  if (!s) {
    s = summary(crafterStates(trace));
    memo.set(trace, s);
  }
  return s;
}

/**
 * Crafter's criteria as functions over the trace's environment states (or observation text):
 * achievements unlocked (of {@link CRAFTER_ACHIEVEMENT_TARGET}), health at the end (0 if dead),
 * new tiles visited per step (×2, capped at 1), and the share of steps whose action changed something.
 */
export const CRAFTER_VERIFIER: Verifier = {
  id: 'crafter-verifier@1',
  scorers: {
    achievement_progression: (t) => {
      const s = of(t);
      return {
        score: Math.min(1, s.achievements.length / CRAFTER_ACHIEVEMENT_TARGET),
        reason: s.achievements.length
          ? `${s.achievements.length} unlocked: ${s.achievements.join(', ')}`
          : 'no achievement unlocked',
      };
    },
    survival_capability: (t) => {
      const s = of(t);
      if (s.died) return { score: 0, reason: `died after ${s.steps} steps` };
      if (s.health === null)
        return { score: s.steps > 0 ? 1 : 0, reason: 'alive at the end (health not recorded)' };
      return { score: s.health / MAX_HEALTH, reason: `alive with health ${s.health}/${MAX_HEALTH}` };
    },
    exploration_behavior: (t) => {
      const s = of(t);
      const coverage = s.steps ? s.positions / s.steps : 0;
      return {
        score: Math.min(1, 2 * coverage),
        reason: `${s.positions} distinct tiles in ${s.steps} steps`,
      };
    },
    resource_efficiency: (t) => {
      const s = of(t);
      return {
        score: s.steps ? s.useful / s.steps : 0,
        reason: `${s.useful} of ${s.steps} steps changed the state`,
      };
    },
  },
  measure: (t) => {
    const s = of(t);
    return {
      achievements: s.achievements.length,
      achievement_names: s.achievements,
      survival_rate: s.steps ? s.alive / s.steps : 0,
      exploration_coverage: s.steps ? s.positions / s.steps : 0,
      final_health: s.health,
      steps: s.steps,
    };
  },
};
