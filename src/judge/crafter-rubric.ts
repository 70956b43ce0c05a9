/**
 * Crafter's rubric as the judges see it: the task app's `crafter/bundle@v1` (its outcome and event
 * criteria and the seeds' scoring guide), graded programmatically by the app's own scorers, so the judge
 * and the task app can never disagree about what a criterion means.
 * @module
 */
import { CRAFTER_RUBRIC, CRAFTER_SCORERS } from '../apps/crafter/rubric.ts';
import { crafterEpisodeFromTrace } from '../apps/crafter/rubric-episode.ts';
import type { SessionTrace } from '../tracing/types.ts';
import type { CriterionScorer, Verifier } from './programmatic-judge.ts';
import { parseRubric } from './rubric-parse.ts';
import type { JudgeRubric } from './rubric-types.ts';

/** The app rubric in the judges' normalised form. */
export const CRAFTER_JUDGE_RUBRIC: JudgeRubric = parseRubric({
  id: CRAFTER_RUBRIC.id,
  description: CRAFTER_RUBRIC.goal_text,
  outcome: { ...CRAFTER_RUBRIC.outcome, criteria: [...CRAFTER_RUBRIC.outcome.criteria] },
  events: { ...CRAFTER_RUBRIC.events, criteria: [...CRAFTER_RUBRIC.events.criteria] },
  scoring_guide: { ...CRAFTER_RUBRIC.scoring_guide },
});

// One parse per trace, shared by the criteria of one judgment.
const episodes = new WeakMap<SessionTrace, ReturnType<typeof crafterEpisodeFromTrace>>();
function episodeOf(trace: SessionTrace) {
  let episode = episodes.get(trace);
  if (!episode) {
    episode = crafterEpisodeFromTrace(trace);
    episodes.set(trace, episode);
  }
  return episode;
}

const scorers: Record<string, CriterionScorer> = Object.fromEntries(
  CRAFTER_RUBRIC.outcome.criteria.map((c) => [
    c.id,
    (trace: SessionTrace) => CRAFTER_SCORERS[c.id]!(episodeOf(trace)),
  ]),
);

/** Crafter's outcome criteria as functions, plus the measurements seed 000 shows in `metadata`. */
export const CRAFTER_VERIFIER: Verifier = {
  id: 'crafter-verifier@2',
  scorers,
  measure: (trace) => {
    const episode = episodeOf(trace);
    const last = episode.states.at(-1);
    const positions = new Set(
      episode.states.filter((s) => s.position).map((s) => `${s.position![0]},${s.position![1]}`),
    );
    const alive = episode.states.filter((s) => (s.health ?? 1) > 0 && !s.dead).length;
    return {
      achievements: new Set(last?.achievements ?? []).size,
      survival_rate: episode.states.length ? alive / episode.states.length : 0,
      exploration_coverage: episode.states.length ? positions.size / episode.states.length : 0,
    };
  },
};
