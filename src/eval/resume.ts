import type { TraceStore } from '../tracing/store.ts';

/**
 * Seeds that already have a stored trace for this eval run (`metadata.eval_run_id`), so `--resume` can skip
 * them. Streams the store's sessions; the store has no metadata-key selection, so the run id is matched here.
 */
export async function storedSeedsForRun(store: TraceStore, runId: string): Promise<Set<number>> {
  const seeds = new Set<number>();
  for await (const session of store.listSessions()) {
    const meta = session.metadata;
    if (meta.eval_run_id === runId && typeof meta.seed === 'number') seeds.add(meta.seed);
  }
  return seeds;
}
