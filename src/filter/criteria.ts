/**
 * The selection criteria of `synth-ai filter`, checked once, and their translation into the trace store's
 * `SessionSelection`, one criterion at a time so the summary can say what each dropped.
 * @module
 */
import { ConfigError } from '../errors.ts';
import type { SessionSelection } from '../tracing/store.ts';

/** Resolved criteria: every field optional; times are ISO-8601 UTC. */
export interface FilterCriteria {
  splits?: string[];
  taskIds?: string[];
  models?: string[];
  /** The environment's total reward, unclamped. */
  minOfficialScore?: number;
  maxOfficialScore?: number;
  /** Judge scores by name (`primary`, `event`, `outcome` or a named judge), each in [0, 1]. */
  minJudgeScores?: Record<string, number>;
  maxJudgeScores?: Record<string, number>;
  minCreatedAt?: string;
  maxCreatedAt?: string;
  /** Keep only sessions with at least one image part (checked on the messages, after SQL). */
  requireImages?: boolean;
  /** Examples (lines) to skip, then to write at most: seed 000's "max examples to export". */
  offset?: number;
  limit?: number;
  shuffle?: boolean;
  shuffleSeed?: number;
}

/** One step of the selection: its name in the summary and the selection fields it adds. */
export interface CriterionStep {
  name: string;
  selection: SessionSelection;
}

/** Every problem with the criteria, one line each (empty when fine). */
export function criteriaProblems(c: FilterCriteria): string[] {
  const problems: string[] = [];
  for (const [kind, scores] of [
    ['min_judge_scores', c.minJudgeScores],
    ['max_judge_scores', c.maxJudgeScores],
  ] as const) {
    for (const [name, value] of Object.entries(scores ?? {})) {
      if (!Number.isFinite(value) || value < 0 || value > 1)
        problems.push(`${kind}.${name} = ${value} is outside [0, 1] (judge scores are fractions)`);
    }
  }
  for (const [name, min] of Object.entries(c.minJudgeScores ?? {})) {
    const max = c.maxJudgeScores?.[name];
    if (max !== undefined && min > max)
      problems.push(`min_judge_scores.${name} (${min}) is greater than max_judge_scores.${name} (${max})`);
  }
  for (const [key, value] of [
    ['min_official_score', c.minOfficialScore],
    ['max_official_score', c.maxOfficialScore],
  ] as const) {
    if (value !== undefined && !Number.isFinite(value)) problems.push(`${key} must be a finite number`);
  }
  if (
    c.minOfficialScore !== undefined &&
    c.maxOfficialScore !== undefined &&
    c.minOfficialScore > c.maxOfficialScore
  )
    problems.push(
      `min_official_score (${c.minOfficialScore}) is greater than max_official_score (${c.maxOfficialScore})`,
    );
  if (c.minCreatedAt !== undefined && c.maxCreatedAt !== undefined && c.minCreatedAt > c.maxCreatedAt)
    problems.push(`min_created_at (${c.minCreatedAt}) is later than max_created_at (${c.maxCreatedAt})`);
  if (c.limit !== undefined && (!Number.isInteger(c.limit) || c.limit < 1))
    problems.push(`limit must be an integer of at least 1 (got ${c.limit})`);
  if (c.offset !== undefined && (!Number.isInteger(c.offset) || c.offset < 0))
    problems.push(`offset must be an integer of at least 0 (got ${c.offset})`);
  if (c.shuffleSeed !== undefined && !Number.isInteger(c.shuffleSeed))
    problems.push(`shuffle_seed must be an integer (got ${c.shuffleSeed})`);
  if (c.shuffleSeed !== undefined && !c.shuffle)
    problems.push('shuffle_seed is set but shuffle is not (set shuffle = true)');
  for (const [key, list] of [
    ['splits', c.splits],
    ['task_ids', c.taskIds],
    ['models', c.models],
  ] as const) {
    if (list !== undefined && list.length === 0)
      problems.push(`${key} is empty: remove it or list at least one value`);
  }
  return problems;
}

/** Throws one ConfigError listing every problem. */
export function assertCriteria(c: FilterCriteria): void {
  const problems = criteriaProblems(c);
  if (problems.length > 0) throw new ConfigError(problems, { hint: 'fix the [filter] table or the flags' });
}

/** The SQL-side criteria as ordered steps (each adds to the ones before). */
export function criterionSteps(c: FilterCriteria): CriterionStep[] {
  const steps: CriterionStep[] = [];
  if (c.splits) steps.push({ name: 'splits', selection: { splits: c.splits } });
  if (c.taskIds) steps.push({ name: 'task_ids', selection: { taskIds: c.taskIds } });
  if (c.models) steps.push({ name: 'models', selection: { models: c.models } });
  if (c.minCreatedAt !== undefined)
    steps.push({ name: 'min_created_at', selection: { minCreatedAt: c.minCreatedAt } });
  if (c.maxCreatedAt !== undefined)
    steps.push({ name: 'max_created_at', selection: { maxCreatedAt: c.maxCreatedAt } });
  if (c.minOfficialScore !== undefined)
    steps.push({ name: 'min_official_score', selection: { minOfficialScore: c.minOfficialScore } });
  if (c.maxOfficialScore !== undefined)
    steps.push({ name: 'max_official_score', selection: { maxOfficialScore: c.maxOfficialScore } });
  // Named judges too: the store compares a verdict object's `primary` or a bare number (selection-sql.ts).
  for (const [name, value] of Object.entries(c.minJudgeScores ?? {}))
    steps.push({ name: `min_judge_scores.${name}`, selection: { minJudgeScores: { [name]: value } } });
  for (const [name, value] of Object.entries(c.maxJudgeScores ?? {}))
    steps.push({ name: `max_judge_scores.${name}`, selection: { maxJudgeScores: { [name]: value } } });
  return steps;
}

/** Merges selections; judge-score maps are merged by name. */
export function mergeSelection(a: SessionSelection, b: SessionSelection): SessionSelection {
  const out: SessionSelection = { ...a, ...b };
  if (a.minJudgeScores || b.minJudgeScores) out.minJudgeScores = { ...a.minJudgeScores, ...b.minJudgeScores };
  if (a.maxJudgeScores || b.maxJudgeScores) out.maxJudgeScores = { ...a.maxJudgeScores, ...b.maxJudgeScores };
  return out;
}

/** The whole SQL-side selection, with the shuffle order. Offset and limit count examples, so they stay out. */
export function toSelection(c: FilterCriteria): SessionSelection {
  let selection: SessionSelection = {};
  for (const step of criterionSteps(c)) selection = mergeSelection(selection, step.selection);
  if (c.shuffle) {
    selection.order = 'random';
    if (c.shuffleSeed !== undefined) selection.shuffleSeed = c.shuffleSeed;
  }
  return selection;
}
