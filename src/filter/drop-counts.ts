/**
 * How many sessions each SQL-side criterion drops: the store counts the selection before and after each one
 * (each applied on top of the ones before). The last count, of the whole selection, is the slowest (every
 * bound at once, judge scores read from each row): when the export will page through the whole selection
 * anyway, it is left to the export, which counts the sessions it pages (see {@link finishDropCounts}).
 * @module
 */
import type { SessionSelection, TraceStore } from '../tracing/store.ts';
import { criterionSteps, type FilterCriteria, mergeSelection } from './criteria.ts';
import type { FilterCounts } from './manifest.ts';

/** The last criterion's count, when left to the export: its name, its selection and the count before it. */
export interface PendingDropCount {
  name: string;
  selection: SessionSelection;
  before: number;
}

/**
 * Counts the total and each criterion's drops into `counts`; with `deferLast`, the last criterion is left
 * pending (returned) and `counts.sessionsMatched` is set once it is finished.
 */
export async function countDrops(
  store: TraceStore,
  criteria: FilterCriteria,
  counts: FilterCounts,
  deferLast: boolean,
): Promise<PendingDropCount | undefined> {
  let selection: SessionSelection = {};
  let before = await store.countSessions(selection);
  counts.sessionsTotal = before;
  const steps = criterionSteps(criteria);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    selection = mergeSelection(selection, step.selection);
    if (deferLast && i === steps.length - 1) return { name: step.name, selection, before };
    const after = await store.countSessions(selection);
    counts.dropped.push({ criterion: step.name, sessions: before - after });
    before = after;
  }
  counts.sessionsMatched = before;
  return undefined;
}

/**
 * Finishes a pending count: `paged` is how many sessions the export paged through the whole selection (the
 * same rows `countSessions` would count), or null when it stopped early and the store must count.
 */
export async function finishDropCounts(
  store: TraceStore,
  pending: PendingDropCount | undefined,
  counts: FilterCounts,
  paged: number | null,
): Promise<void> {
  if (!pending) return;
  const after = paged ?? (await store.countSessions(pending.selection));
  counts.dropped.push({ criterion: pending.name, sessions: pending.before - after });
  counts.sessionsMatched = after;
}
