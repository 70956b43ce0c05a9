import type { RubricSection } from './rubric-types.ts';

/** A criterion's score and why. */
export interface JudgeCriterionScore {
  score: number;
  reason: string;
}

/**
 * Combines criterion scores by the section's aggregation (synth-ai semantics: a missing criterion counts 0;
 * `sum` → Σs; `weighted_sum`/`inherit` → Σs·w / Σw). A required criterion scoring 0 zeroes the section.
 * `custom` has no formula and returns `overall` (the judge's own overall score), or null without one.
 */
export function aggregateSection(
  section: RubricSection,
  scores: Readonly<Record<string, JudgeCriterionScore>>,
  overall?: number | null,
): number | null {
  if (section.aggregation === 'custom') return overall ?? null;
  let total = 0;
  let weights = 0;
  for (const c of section.criteria) {
    const s = scores[c.id]?.score ?? 0;
    if (c.required && s <= 0) return 0;
    if (section.aggregation === 'sum') total += s;
    else total += s * c.weight;
    weights += c.weight;
  }
  if (section.aggregation === 'sum') return total;
  return weights > 0 ? total / weights : null;
}
