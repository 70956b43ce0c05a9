import { abstainVerdict } from '../judge/verdict.ts';
import type { EvalJudge } from './types.ts';

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * A judge that reads the task app's programmatic rubric scores from the rollout response
 * (`metrics.outcome_score` and `metrics.events_score`, computed by the app's scorer). It needs no LLM and
 * no key, so eval can grade offline; with neither score present it abstains rather than guess.
 */
export function createRubricVerifier(name = 'rubric'): EvalJudge {
  return {
    name,
    async grade(input) {
      const metrics = (input.response.metrics ?? {}) as Record<string, unknown>;
      const outcome = num(metrics.outcome_score);
      const event = num(metrics.events_score);
      const primary = outcome ?? event;
      if (primary === null) {
        return abstainVerdict('the task app reported no outcome_score or events_score', { judge: name });
      }
      return {
        status: 'ok',
        scores: { primary, event, outcome, criteria: {} },
        reasoning: 'programmatic rubric of the task app',
        metadata: { judge: name, kind: 'programmatic' },
      };
    },
  };
}
