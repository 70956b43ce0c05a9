/**
 * Crafter's rubric `crafter/bundle@v1`: outcome and event criteria in the spirit of the seeds
 * (achievement progression, survival, exploration, resource efficiency, strategic planning), each with a
 * programmatic scorer, so a finished trace is graded with no LLM. Scores are in [0, 1] with a reason.
 * @module
 */
import type { SessionTrace } from '../../tracing/types.ts';
import { type CrafterEpisode, crafterEpisodeFromTrace } from './rubric-episode.ts';

/** A rubric criterion as `/info.rubrics` lists it. */
export interface CrafterCriterion {
  id: string;
  description: string;
  weight: number;
  required?: boolean;
}

/** One criterion's grade. */
export interface CriterionScore {
  id: string;
  score: number;
  weight: number;
  reason: string;
}

const TIER: Record<string, number> = {
  collect_wood: 1,
  collect_sapling: 1,
  place_plant: 1,
  wake_up: 1,
  collect_drink: 1,
  eat_cow: 1,
  defeat_zombie: 1,
  place_table: 2,
  make_wood_pickaxe: 2,
  make_wood_sword: 2,
  collect_stone: 2,
  place_stone: 2,
  collect_coal: 2,
  eat_plant: 2,
  defeat_skeleton: 2,
  make_stone_pickaxe: 3,
  make_stone_sword: 3,
  place_furnace: 3,
  collect_iron: 3,
  make_iron_pickaxe: 4,
  make_iron_sword: 4,
  collect_diamond: 4,
};
const TIER_TOTAL = Object.values(TIER).reduce((a, b) => a + b, 0);
/** The technology chain, in order; planning is judged by how far along it the agent got. */
const TECH_CHAIN = [
  'collect_wood',
  'place_table',
  'make_wood_pickaxe',
  'collect_stone',
  'make_stone_pickaxe',
  'place_furnace',
  'collect_iron',
  'make_iron_pickaxe',
  'collect_diamond',
];
const RESOURCES = ['sapling', 'wood', 'stone', 'coal', 'iron', 'diamond'];
const MILESTONES = ['place_table', 'make_wood_pickaxe', 'make_stone_pickaxe', 'place_furnace'];

const clamp = (x: number): number => Math.max(0, Math.min(1, Number.isFinite(x) ? x : 0));
const last = (e: CrafterEpisode) => e.states[e.states.length - 1] ?? {};
const unlocked = (e: CrafterEpisode): string[] => [...new Set(last(e).achievements ?? [])];
const steps = (e: CrafterEpisode): number => last(e).step ?? e.states.length;

type Scorer = (e: CrafterEpisode) => { score: number; reason: string };

/** Programmatic scorers by criterion id. */
export const CRAFTER_SCORERS: Record<string, Scorer> = {
  achievement_progression: (e) => {
    const got = unlocked(e);
    const weighted = got.reduce((s, a) => s + (TIER[a] ?? 1), 0);
    // 60 % of all tier points counts as full marks: nobody is expected to mine diamonds for a 1.0.
    return {
      score: clamp(weighted / (0.6 * TIER_TOTAL)),
      reason: `${got.length}/22 achievements (${weighted} tier points): ${got.join(', ') || 'none'}`,
    };
  },
  survival: (e) => {
    const s = last(e);
    const health = s.health ?? 0;
    if (s.dead || health <= 0) {
      const n = steps(e);
      return { score: clamp((0.5 * n) / 1000), reason: `died after ${n} steps` };
    }
    return {
      score: clamp(0.6 + (0.4 * health) / 9),
      reason: `alive at step ${steps(e)} with health ${health}/9`,
    };
  },
  exploration: (e) => {
    const seen = new Set(
      e.states.filter((s) => s.position).map((s) => `${s.position![0]},${s.position![1]}`),
    );
    return {
      score: clamp(seen.size / 100),
      reason: `${seen.size} distinct positions seen at step ends (100 = full marks)`,
    };
  },
  resource_efficiency: (e) => {
    const n = steps(e);
    const got = unlocked(e).length;
    const rate = n > 0 ? (got * 100) / n : 0;
    const valid = e.actions.length > 0 ? 1 - e.invalidActions / e.actions.length : 1;
    return {
      score: clamp((rate / 8) * valid),
      reason: `${rate.toFixed(2)} achievements per 100 steps; ${e.invalidActions} invalid of ${e.actions.length} actions`,
    };
  },
  strategic_planning: (e) => {
    const got = new Set(unlocked(e));
    let depth = 0;
    while (depth < TECH_CHAIN.length && got.has(TECH_CHAIN[depth]!)) depth++;
    return {
      score: clamp(depth / 7),
      reason: `followed the tool chain ${depth} step(s) deep${depth > 0 ? ` (up to ${TECH_CHAIN[depth - 1]})` : ''}`,
    };
  },
  achievement_unlocks: (e) => {
    const events = e.rewards.filter((r) => r >= 0.5).length;
    return {
      score: clamp(events / 10),
      reason: `${events} step(s) unlocked a new achievement (10 = full marks)`,
    };
  },
  milestone_setup: (e) => {
    const got = new Set(unlocked(e));
    const done = MILESTONES.filter((m) => got.has(m));
    return {
      score: done.length / MILESTONES.length,
      reason: `milestones: ${done.join(', ') || 'none'} of ${MILESTONES.join(', ')}`,
    };
  },
  inventory_depth: (e) => {
    const held = RESOURCES.filter((r) => e.states.some((s) => (s.inventory?.[r] ?? 0) > 0));
    return {
      score: held.length / RESOURCES.length,
      reason: `held ${held.join(', ') || 'nothing'} at some point`,
    };
  },
  execution_quality: (e) => {
    const total = e.actions.length + e.badCalls;
    const bad = e.invalidActions + e.badCalls;
    return {
      score: total > 0 ? clamp(1 - bad / total) : 0,
      reason: `${bad} invalid action(s) or malformed call(s) of ${total}`,
    };
  },
};

/** The rubric bundle `crafter/bundle@v1` (weights sum to 1 in each part). */
export const CRAFTER_RUBRIC = {
  id: 'crafter/bundle@v1',
  goal_text:
    'Unlock many Crafter achievements through coherent, efficient, goal-directed play while staying alive.',
  outcome: {
    version: '1',
    aggregation: 'weighted_sum',
    criteria: [
      {
        id: 'achievement_progression',
        description: 'Achievement progression (collect resources, craft tools), harder ones count more',
        weight: 0.35,
      },
      {
        id: 'survival',
        description: 'Survival capability (manage health, food, drink, energy; avoid death)',
        weight: 0.2,
      },
      {
        id: 'exploration',
        description: 'Exploration behavior (discover new areas efficiently)',
        weight: 0.15,
      },
      {
        id: 'resource_efficiency',
        description: 'Resource efficiency (achievements per step, few wasted or invalid actions)',
        weight: 0.15,
      },
      {
        id: 'strategic_planning',
        description: 'Strategic planning (follow the tool chain wood → table → pickaxes → furnace → iron)',
        weight: 0.15,
      },
    ] satisfies CrafterCriterion[],
  },
  events: {
    version: '1',
    aggregation: 'weighted_sum',
    criteria: [
      { id: 'achievement_unlocks', description: 'Steps that unlock a new achievement', weight: 0.55 },
      {
        id: 'milestone_setup',
        description: 'Crafting milestones set up: table, wood pickaxe, stone pickaxe, furnace',
        weight: 0.2,
      },
      {
        id: 'inventory_depth',
        description: 'Variety of resources gathered (sapling, wood, stone, coal, iron, diamond)',
        weight: 0.15,
      },
      { id: 'execution_quality', description: 'Valid, well-formed tool calls', weight: 0.1 },
    ] satisfies CrafterCriterion[],
  },
  scoring_guide: {
    '0.9-1.0': 'Excellent: Multiple achievements, efficient, strategic',
    '0.7-0.9': 'Good: Some achievements, mostly efficient',
    '0.5-0.7': 'Adequate: Basic progress, some inefficiency',
    '0.3-0.5': 'Poor: Minimal progress, inefficient',
    '0.0-0.3': 'Very poor: No progress, random actions',
  },
} as const;

/** A graded rubric part. */
export interface RubricGrade {
  score: number;
  per_criterion: CriterionScore[];
}

function gradePart(e: CrafterEpisode, criteria: readonly CrafterCriterion[]): RubricGrade {
  const per = criteria.map((c) => ({ id: c.id, weight: c.weight, ...CRAFTER_SCORERS[c.id]!(e) }));
  const weights = per.reduce((s, c) => s + c.weight, 0);
  return { score: per.reduce((s, c) => s + c.score * c.weight, 0) / weights, per_criterion: per };
}

/** The scoring-guide band of a score ("0.5-0.7: Adequate: ..."). */
export function crafterScoreBand(score: number): string {
  for (const [range, text] of Object.entries(CRAFTER_RUBRIC.scoring_guide)) {
    const [lo] = range.split('-').map(Number);
    if (score >= lo!) return `${range}: ${text}`;
  }
  return `0.0-0.3: ${CRAFTER_RUBRIC.scoring_guide['0.0-0.3']}`;
}

/** Grades a finished episode (already extracted) on both rubric parts. */
export function gradeCrafterEpisode(e: CrafterEpisode): {
  rubric_id: string;
  outcome: RubricGrade;
  events: RubricGrade;
  band: string;
} {
  const outcome = gradePart(e, CRAFTER_RUBRIC.outcome.criteria);
  return {
    rubric_id: CRAFTER_RUBRIC.id,
    outcome,
    events: gradePart(e, CRAFTER_RUBRIC.events.criteria),
    band: crafterScoreBand(outcome.score),
  };
}

/** Grades a Crafter `SessionTrace` with no LLM. */
export function gradeCrafterTrace(trace: SessionTrace): ReturnType<typeof gradeCrafterEpisode> {
  return gradeCrafterEpisode(crafterEpisodeFromTrace(trace));
}
