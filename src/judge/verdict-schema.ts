import { z } from 'zod';
import type { JsonObject } from '../tracing/types.ts';
import type { RubricSection } from './rubric-types.ts';

const criterionItem = (ids: readonly string[]): JsonObject => ({
  type: 'object',
  properties: {
    id: { type: 'string', enum: [...ids] },
    score: { type: 'number', description: 'from 0 (not met) to 1 (fully met)' },
    reason: { type: 'string', description: 'one sentence citing what the agent did' },
  },
  required: ['id', 'score', 'reason'],
  additionalProperties: false,
});

/** JSON schema of an outcome verdict (for `response_format` or a forced tool's parameters). */
export function outcomeJsonSchema(section: RubricSection): JsonObject {
  return {
    type: 'object',
    properties: {
      criteria: { type: 'array', items: criterionItem(section.criteria.map((c) => c.id)) },
      overall_score: {
        type: 'number',
        description: 'overall score from 0 to 1, following the scoring guide',
      },
      reasoning: { type: 'string', description: 'two or three sentences on the episode as a whole' },
    },
    required: ['criteria', 'overall_score', 'reasoning'],
    additionalProperties: false,
  };
}

/** JSON schema of a batch of step verdicts. */
export function eventJsonSchema(section: RubricSection): JsonObject {
  return {
    type: 'object',
    properties: {
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            step: { type: 'integer' },
            criteria: { type: 'array', items: criterionItem(section.criteria.map((c) => c.id)) },
          },
          required: ['step', 'criteria'],
          additionalProperties: false,
        },
      },
    },
    required: ['steps'],
    additionalProperties: false,
  };
}

const Score = z.number().min(0).max(1);
const CriterionOut = z.object({ id: z.string(), score: Score, reason: z.string() });

function completeCriteria(ids: readonly string[]) {
  return (items: { id: string }[], ctx: z.RefinementCtx) => {
    const got = new Set(items.map((i) => i.id));
    const missing = ids.filter((id) => !got.has(id));
    const unknown = [...got].filter((id) => !ids.includes(id));
    if (missing.length) ctx.addIssue({ code: 'custom', message: `missing criteria: ${missing.join(', ')}` });
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown criteria: ${unknown.join(', ')}` });
  };
}

/**
 * Schemas are built once per criteria list (and step list): a zod schema compiles itself on first use, and
 * building one per call made that compile the most expensive part of validating a verdict.
 */
const MAX_CACHED = 128;
function cached<T>(cache: Map<string, T>, key: string, build: () => T): T {
  let schema = cache.get(key);
  if (schema === undefined) {
    schema = build();
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, schema);
  }
  return schema;
}
const outcomeSchemas = new Map<string, ReturnType<typeof buildOutcomeSchema>>();
const eventSchemas = new Map<string, ReturnType<typeof buildEventSchema>>();

/** Validates an outcome verdict: every criterion scored once in [0, 1], nothing unknown. */
export function outcomeVerdictSchema(section: RubricSection) {
  const ids = section.criteria.map((c) => c.id);
  return cached(outcomeSchemas, JSON.stringify(ids), () => buildOutcomeSchema(ids));
}

function buildOutcomeSchema(ids: readonly string[]) {
  return z.object({
    criteria: z.array(CriterionOut).superRefine(completeCriteria(ids)),
    overall_score: Score,
    reasoning: z.string(),
  });
}

/** Validates a batch of step verdicts: exactly the steps asked for, each with every criterion. */
export function eventVerdictSchema(section: RubricSection, steps: readonly number[]) {
  const ids = section.criteria.map((c) => c.id);
  return cached(eventSchemas, JSON.stringify([ids, steps]), () => buildEventSchema(ids, steps));
}

function buildEventSchema(ids: readonly string[], steps: readonly number[]) {
  const want = [...steps].sort((a, b) => a - b);
  return z
    .object({
      steps: z.array(
        z.object({
          step: z.number().int(),
          criteria: z.array(CriterionOut).superRefine(completeCriteria(ids)),
        }),
      ),
    })
    .superRefine((v, ctx) => {
      const got = v.steps.map((s) => s.step).sort((a, b) => a - b);
      if (got.join(',') !== want.join(',')) {
        ctx.addIssue({ code: 'custom', message: `expected steps ${want.join(',')}, got ${got.join(',')}` });
      }
    });
}

export type OutcomeVerdictOutput = z.infer<ReturnType<typeof outcomeVerdictSchema>>;
export type EventVerdictOutput = z.infer<ReturnType<typeof eventVerdictSchema>>;
