/**
 * The `metadata` object of an exported line: seed 002's keys, plus the judge scores that selected it.
 * @module
 */
import type { SessionSummary } from '../tracing/store.ts';
import type { JudgeMetadata } from '../tracing/types.ts';

/** Metadata written beside each example (seed 002's shape, plus `judge_scores`). */
export interface ExampleMetadata {
  session_id: string;
  env_name: string | null;
  policy_name: string | null;
  seed: number | string | null;
  total_reward: number | null;
  achievements_count: number | null;
  model: string | null;
  created_at: string;
  judge_scores: Record<string, number>;
}

// Bookkeeping keys the judge stage writes beside the scores (`errors` holds failures, never scores).
const NOT_SCORES = new Set(['reasoning', 'metadata', 'errors', 'status', 'judge']);

/** A judge's score from a bare number or a verdict object (`{primary}` or `{score}`). */
function scoreOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    for (const key of ['primary', 'score']) {
      if (typeof v[key] === 'number' && Number.isFinite(v[key])) return v[key] as number;
    }
  }
  return undefined;
}

/** The numeric scores of a verdict, by judge name (`primary`, `event`, `outcome`, named judges). */
export function judgeScores(verdict: JudgeMetadata | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!verdict) return out;
  for (const [name, value] of Object.entries(verdict)) {
    if (NOT_SCORES.has(name)) continue;
    const score = scoreOf(value);
    if (score !== undefined) out[name] = score;
  }
  return out;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Builds the metadata of every line from one session. */
export function buildExampleMetadata(session: SessionSummary): ExampleMetadata {
  const meta = session.metadata ?? {};
  const seed = meta.seed;
  return {
    session_id: session.session_id,
    env_name: text(meta.env_name),
    policy_name: text(meta.policy_name),
    seed: typeof seed === 'number' || typeof seed === 'string' ? seed : null,
    total_reward: num(session.total_reward) ?? num(session.outcome?.total_reward),
    achievements_count: num(session.outcome?.achievements_count) ?? num(meta.achievements_count),
    model: text(meta.model),
    created_at: session.created_at,
    judge_scores: judgeScores(session.judge_metadata),
  };
}
