import { UsageError } from '../errors.ts';
import type { JsonObject, JsonValue, JudgeMetadata } from '../tracing/types.ts';
import type { Verdict } from './verdict.ts';

/**
 * Keys of `judge_metadata` that belong to the seed-000 shape or to bookkeeping; judges cannot take them as names.
 *
 * Stored layout (one JSON object per session):
 * - the primary judge's verdict at the top: `primary`, `event`, `outcome`, `reasoning`, `metadata`,
 *   plus `status: "ok"` and `judge` (its name), so seed 000's `json_extract(judge_metadata,'$.primary')` works;
 * - every judge's last ok verdict under its name, always an object:
 *   `{status:"ok", primary, event, outcome, reasoning, metadata}` → `json_extract(judge_metadata,'$.<name>.primary')`;
 * - failures and abstentions under `errors.<name>` = `{status:"error"|"abstain", reason, at}`, with no score;
 *   a later ok verdict for that judge removes its entry. A failure never overwrites or zeroes an earlier score.
 */
export const RESERVED_JUDGE_KEYS = [
  'primary',
  'event',
  'outcome',
  'reasoning',
  'metadata',
  'errors',
  'status',
  'judge',
];

/** Checks a judge name is usable as a `judge_metadata` key (and as a JSON path segment). */
export function assertJudgeName(name: string): void {
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(name) || RESERVED_JUDGE_KEYS.includes(name)) {
    throw new UsageError(`judge name "${name}" cannot be used`, {
      hint: `use lowercase letters, digits and _ (not ${RESERVED_JUDGE_KEYS.join(', ')})`,
    });
  }
}

/** The stored form of one ok verdict (the object under the judge's name and, for the primary, at the top). */
export function storedVerdict(verdict: Verdict & { status: 'ok' }): JsonObject {
  return {
    status: 'ok',
    primary: verdict.scores.primary,
    event: verdict.scores.event,
    outcome: verdict.scores.outcome,
    reasoning: verdict.reasoning,
    metadata: {
      ...verdict.metadata,
      criteria: Object.fromEntries(
        Object.entries(verdict.scores.criteria).map(([id, c]) => [id, { score: c.score, reason: c.reason }]),
      ),
    },
  };
}

/**
 * The keys to merge into `judge_metadata` for a verdict. `existing` is the current value, used to keep the
 * other judges' entries in `errors` (the store merges top-level keys only).
 */
export function judgeMetadataPatch(
  verdict: Verdict,
  options: { name: string; primary: boolean; existing: JudgeMetadata | null; now?: Date },
): JudgeMetadata {
  const errors = { ...((options.existing?.errors as JsonObject | undefined) ?? {}) };
  if (verdict.status !== 'ok') {
    errors[options.name] = {
      status: verdict.status,
      reason: verdict.reason,
      at: (options.now ?? new Date()).toISOString(),
    };
    return { errors };
  }
  const stored = storedVerdict(verdict);
  const patch: JudgeMetadata = { [options.name]: stored };
  if (options.name in errors) {
    delete errors[options.name];
    patch.errors = errors;
  }
  if (options.primary) {
    patch.status = 'ok';
    patch.judge = options.name;
    patch.primary = stored.primary as number;
    patch.event = stored.event as number | null;
    patch.outcome = stored.outcome as number | null;
    patch.reasoning = stored.reasoning as string;
    patch.metadata = stored.metadata as JsonObject;
  }
  return patch;
}

/** The ok verdict a judge left on a session (`judge_metadata.<name>`), if any. */
export function storedScore(meta: JudgeMetadata | null, name: string): number | null {
  const entry = meta?.[name] as JsonValue | undefined;
  if (entry && typeof entry === 'object' && !Array.isArray(entry) && typeof entry.primary === 'number') {
    return entry.primary;
  }
  return null;
}
