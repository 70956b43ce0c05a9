/**
 * SessionSelection → SQL over `session_traces AS s`. Values are always bound, never spliced; lists travel
 * as one JSON parameter (`json_each`) so a selection of 100,000 ids needs no giant statement. The JSON
 * expressions repeat the expression indexes of `schema.ts` character for character.
 * @module
 */
import { UsageError } from '../../errors.ts';
import type { SessionSelection } from '../store.ts';
import type { SqlValue } from './executor.ts';
import { shuffleOrderSql } from './shuffle-key.ts';

/** The WHERE clause (without the keyword; `1` when empty) and its arguments. */
export interface SelectionWhere {
  sql: string;
  args: SqlValue[];
}

/** `$.name` for plain identifiers (matches the indexes), `$."name"` otherwise. */
export function jsonPath(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `$.${name}` : `$."${name.replace(/"/g, '""')}"`;
}

const numericScore = (path: string) =>
  `json_type(s.judge_metadata, '${path}') IN ('integer', 'real') AND json_extract(s.judge_metadata, '${path}')`;

/** Scores the judge stage keeps as bare numbers at the top of `judge_metadata` (and indexes). */
const TOP_LEVEL_SCORES = new Set(['primary', 'event', 'outcome']);

/**
 * A named judge's score: our judge stage stores a verdict object (`$.<name>.primary`), the Python synth-ai
 * or an external UPDATE a bare number (`$.<name>`). Anything else is NULL, so a bound on it fails.
 */
const namedScore = (path: string) => `(CASE json_type(s.judge_metadata, '${path}')
    WHEN 'object' THEN (CASE WHEN json_type(s.judge_metadata, '${path}.primary') IN ('integer', 'real')
      THEN json_extract(s.judge_metadata, '${path}.primary') END)
    WHEN 'integer' THEN json_extract(s.judge_metadata, '${path}')
    WHEN 'real' THEN json_extract(s.judge_metadata, '${path}') END)`;

/** The SQL expression of a judge score by name (see {@link namedScore}). */
export function judgeScoreSql(name: string): string {
  const path = jsonPath(name);
  return TOP_LEVEL_SCORES.has(name) ? numericScore(path) : namedScore(path);
}

function checkNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new UsageError(`selection ${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** Builds the WHERE clause for a selection. */
export function selectionWhere(sel: SessionSelection = {}): SelectionWhere {
  const parts: string[] = [];
  const args: SqlValue[] = [];
  const inList = (expr: string, list: readonly string[] | undefined) => {
    if (list === undefined) return;
    parts.push(`${expr} IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(list));
  };
  inList('s.session_id', sel.sessionIds);
  inList("json_extract(s.metadata, '$.task_split')", sel.splits);
  inList("json_extract(s.metadata, '$.task_id')", sel.taskIds);
  inList("json_extract(s.metadata, '$.model')", sel.models);
  if (sel.minOfficialScore !== undefined) {
    parts.push('s.total_reward >= ?');
    args.push(checkNumber('minOfficialScore', sel.minOfficialScore));
  }
  if (sel.maxOfficialScore !== undefined) {
    parts.push('s.total_reward <= ?');
    args.push(checkNumber('maxOfficialScore', sel.maxOfficialScore));
  }
  for (const [bound, op] of [
    [sel.minJudgeScores, '>='],
    [sel.maxJudgeScores, '<='],
  ] as const) {
    for (const [name, value] of Object.entries(bound ?? {})) {
      parts.push(`(${judgeScoreSql(name)} ${op} ?)`);
      args.push(checkNumber(`judge score ${name}`, value));
    }
  }
  if (sel.minCreatedAt !== undefined) {
    parts.push('s.created_at >= ?');
    args.push(sel.minCreatedAt.trim().replace(' ', 'T'));
  }
  if (sel.maxCreatedAt !== undefined) {
    parts.push('s.created_at <= ?');
    args.push(sel.maxCreatedAt.trim().replace(' ', 'T'));
  }
  if (sel.judged !== undefined)
    parts.push(sel.judged ? 's.judge_metadata IS NOT NULL' : 's.judge_metadata IS NULL');
  return { sql: parts.length ? parts.join(' AND ') : '1', args };
}

/** The sort key of a selection, as an SQL expression; rows are ordered by (key, session_id). */
export function selectionOrderKey(sel: SessionSelection = {}): string {
  if (sel.order === 'random')
    return shuffleOrderSql('COALESCE(s.shuffle_key, s.rowid)', sel.shuffleSeed ?? 0);
  return 's.created_at';
}

/** limit/offset checked once, so a bad value is one clear error rather than odd SQL. */
export function selectionWindow(sel: SessionSelection = {}): { limit: number; offset: number } {
  const limit = sel.limit ?? Number.POSITIVE_INFINITY;
  const offset = sel.offset ?? 0;
  if (!(limit >= 0) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
    throw new UsageError(`selection limit must be a whole number ≥ 0, got ${String(sel.limit)}`);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new UsageError(`selection offset must be a whole number ≥ 0, got ${String(sel.offset)}`);
  }
  return { limit, offset };
}
