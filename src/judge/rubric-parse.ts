import { ConfigError } from '../errors.ts';
import { contentHash } from './hash.ts';
import type { CriterionLike, RubricDocument as RubricDocumentType } from './rubric-schema.ts';
import { RubricDocument } from './rubric-schema.ts';
import type {
  InstanceRubric,
  JudgeCriterion,
  JudgeRubric,
  RubricSection,
  ScoreBand,
} from './rubric-types.ts';

/** A criterion id from its sentence: "Survival capability (health…)" → "survival_capability". */
export function slugCriterion(text: string): string {
  const head = text.split(/[(:.–—-]/, 1)[0] ?? text;
  const slug = head
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48);
  return slug || 'criterion';
}

function normaliseCriteria(
  items: readonly CriterionLike[],
  where: string,
  problems: string[],
): JudgeCriterion[] {
  const seen = new Set<string>();
  const out: JudgeCriterion[] = [];
  for (const item of items) {
    const c = typeof item === 'string' ? { description: item } : item;
    let id = 'id' in c && c.id ? c.id : slugCriterion(c.description);
    if (seen.has(id)) {
      if ('id' in c && c.id)
        problems.push(`${where}: criterion id "${id}" appears twice (ids must be unique)`);
      let n = 2;
      while (seen.has(`${id}_${n}`)) n += 1;
      id = `${id}_${n}`;
    }
    seen.add(id);
    out.push({
      id,
      description: c.description,
      weight: ('weight' in c && c.weight) || 1,
      required: ('required' in c && c.required) || false,
    });
  }
  return out;
}

function parseGuide(guide: Record<string, string> | undefined, problems: string[]): ScoreBand[] {
  if (!guide) return [];
  const bands: ScoreBand[] = [];
  for (const [range, text] of Object.entries(guide)) {
    const m = /^\s*(\d*\.?\d+)\s*[-–]\s*(\d*\.?\d+)\s*$/.exec(range);
    if (!m) {
      problems.push(`scoring_guide key "${range}" is not a range (write it like "0.7-0.9")`);
      continue;
    }
    const min = Number(m[1]);
    const max = Number(m[2]);
    if (min > max) problems.push(`scoring_guide range "${range}" has min > max`);
    bands.push({ min, max, text });
  }
  return bands.sort((a, b) => b.max - a.max);
}

function section(
  input: NonNullable<RubricDocumentType['outcome']> | undefined | null,
  where: string,
  problems: string[],
): RubricSection | null {
  if (!input) return null;
  return {
    goalText: input.goal_text ?? null,
    criteria: normaliseCriteria(input.criteria, where, problems),
    aggregation: input.aggregation ?? 'weighted_sum',
  };
}

/**
 * Parses either rubric form (or both together) into a {@link JudgeRubric}. Collects every problem and throws
 * one {@link ConfigError}. `fallbackId` names rubrics that carry no id (synth-ai's `{outcome, events}`).
 * @example parseRubric({ global_rubric: { id: 'crafter/bundle@v1', criteria: ['Survival'] } })
 */
export function parseRubric(
  input: unknown,
  options: { fallbackId?: string; source?: string } = {},
): JudgeRubric {
  const where = options.source ? `rubric ${options.source}` : 'rubric';
  const parsed = RubricDocument.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${where}: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`),
      {
        hint: 'see docs: a rubric has global_rubric{id, criteria} or outcome/events{criteria[{id, description, weight}]}',
      },
    );
  }
  const doc = parsed.data;
  const problems: string[] = [];
  const g = doc.global_rubric;
  const id = g?.id ?? doc.id ?? doc.rubric_id ?? doc.outcome?.id ?? doc.events?.id ?? options.fallbackId;
  if (!id) problems.push(`${where}: no id (set global_rubric.id or id, e.g. "my-task/bundle@v1")`);
  let outcome = section(doc.outcome, `${where} outcome`, problems);
  if (g) {
    const fromGlobal: RubricSection = {
      goalText: g.description ?? null,
      criteria: normaliseCriteria(g.criteria, `${where} global_rubric`, problems),
      aggregation: 'weighted_sum',
    };
    // Explicit outcome criteria win; the global criteria become the outcome section otherwise.
    outcome = outcome ?? fromGlobal;
  }
  const event = section(doc.events ?? doc.event, `${where} events`, problems);
  const scoringGuide = parseGuide(
    g?.scoring_guide ?? doc.scoring_guide ?? doc.outcome?.scoring_guide ?? doc.events?.scoring_guide,
    problems,
  );
  const instances: InstanceRubric[] = (doc.instance_rubrics ?? []).map((inst, i) => {
    const instanceId = inst.instance_id ?? inst.id ?? inst.task_id ?? inst.seed;
    if (instanceId === undefined)
      problems.push(`${where}: instance_rubrics[${i}] has no id, task_id or seed`);
    return {
      instanceId: String(instanceId ?? ''),
      description: inst.description ?? null,
      criteria: normaliseCriteria(inst.criteria, `${where} instance_rubrics[${i}]`, problems),
    };
  });
  if (problems.length > 0) throw new ConfigError(problems, { hint: 'fix the rubric file and run again' });
  const body = {
    id: id as string,
    description: g?.description ?? doc.description ?? outcome?.goalText ?? '',
    outcome,
    event,
    scoringGuide,
    instances,
  };
  return { ...body, version: rubricVersion(body) };
}

/** The content hash of a rubric's text: changing any id, description, weight or band changes it. */
export function rubricVersion(rubric: Omit<JudgeRubric, 'version'> | JudgeRubric): string {
  const { version: _ignored, ...body } = rubric as JudgeRubric;
  return `sha256:${contentHash(body).slice(0, 16)}`;
}

/**
 * The rubric for one trace: the global criteria plus the instance rubric matching its task id or seed.
 * The version changes with the instance criteria, so cached verdicts never cross instances.
 */
export function rubricForInstance(rubric: JudgeRubric, metadata: Record<string, unknown>): JudgeRubric {
  if (rubric.instances.length === 0) return rubric;
  const keys = [metadata.task_id, metadata.seed, metadata.eval_seed, metadata.instance_id]
    .filter((v) => v !== undefined && v !== null)
    .map(String);
  const inst = rubric.instances.find((i) => keys.includes(i.instanceId));
  if (!inst || inst.criteria.length === 0) return rubric;
  const base = rubric.outcome ?? { goalText: null, criteria: [], aggregation: 'weighted_sum' as const };
  const taken = new Set(base.criteria.map((c) => c.id));
  const extra = inst.criteria.map((c) => (taken.has(c.id) ? { ...c, id: `${inst.instanceId}_${c.id}` } : c));
  const merged: Omit<JudgeRubric, 'version'> = {
    ...rubric,
    description: inst.description ? `${rubric.description}\n${inst.description}` : rubric.description,
    outcome: { ...base, criteria: [...base.criteria, ...extra] },
    instances: [],
  };
  return { ...merged, version: rubricVersion(merged) };
}
