import type { ChatMessage, ContentPart } from '../tracing/types.ts';
import { fence, fenceRule } from './fence.ts';
import type { RenderedTrace } from './render-trace.ts';
import type { JudgeRubric, RubricSection } from './rubric-types.ts';

/** The rubric as the judge reads it (outside the fence: it is trusted). */
export function rubricText(rubric: JudgeRubric, section: RubricSection): string {
  const lines = [`Rubric ${rubric.id}: ${rubric.description}`.trim()];
  if (section.goalText && section.goalText !== rubric.description) lines.push(`Goal: ${section.goalText}`);
  lines.push('Criteria (score each from 0 to 1):');
  for (const c of section.criteria) {
    lines.push(`- ${c.id} (weight ${c.weight}${c.required ? ', required' : ''}): ${c.description}`);
  }
  if (rubric.scoringGuide.length) {
    lines.push('Scoring guide for the overall score:');
    for (const b of rubric.scoringGuide) lines.push(`- ${b.min}–${b.max}: ${b.text}`);
  }
  return lines.join('\n');
}

const ROLE =
  'You are a careful, strict judge of AI agent episodes. You grade only what the record shows, against the rubric you are given, and you answer only with the verdict in the required structure.';

function userContent(text: string, images: readonly string[]): string | ContentPart[] {
  if (images.length === 0) return text;
  return [
    { type: 'text', text },
    ...images.map((url) => ({ type: 'image_url' as const, image_url: { url } })),
  ];
}

/** Messages asking for an outcome verdict on a whole episode. */
export function outcomeMessages(
  rubric: JudgeRubric,
  section: RubricSection,
  rendered: RenderedTrace,
): ChatMessage[] {
  const f = fence(rendered.text);
  const note = rendered.condensed ? '\nThe middle of this long episode was condensed to fit.' : '';
  return [
    { role: 'system', content: `${ROLE}\n\n${fenceRule(f)}` },
    {
      role: 'user',
      content: userContent(
        `${rubricText(rubric, section)}\n\nGrade the whole episode below.${note}\n\n${f.text}\n\nNow give every criterion a score from 0 to 1 with a one-sentence reason, an overall score, and brief reasoning.`,
        rendered.images,
      ),
    },
  ];
}

/** Messages asking for step verdicts on one batch of steps, with the episode summary as context. */
export function eventMessages(
  rubric: JudgeRubric,
  section: RubricSection,
  context: string,
  stepTexts: readonly string[],
  stepIndices: readonly number[],
): ChatMessage[] {
  const f = fence(`${context}\n\n## steps to grade\n${stepTexts.join('\n\n')}`);
  return [
    { role: 'system', content: `${ROLE}\n\n${fenceRule(f)}` },
    {
      role: 'user',
      content: `${rubricText(rubric, section)}\n\nGrade each of the steps ${stepIndices.join(', ')} of the episode below on its own (how good that decision was).\n\n${f.text}\n\nGive, for each of those steps, every criterion a score from 0 to 1 with a one-sentence reason.`,
    },
  ];
}
