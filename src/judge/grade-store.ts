import { UsageError } from '../errors.ts';
import { createPendingWrites } from '../tracing/pending-writes.ts';
import type { SessionSelection, TraceStore } from '../tracing/store.ts';
import type { JsonObject, JudgeMetadata } from '../tracing/types.ts';
import { judgeMetadataPatch, storedScore } from './judge-metadata.ts';
import type { Judge, JudgmentEstimate } from './judge-types.ts';
import type { JudgmentCache } from './judgment-cache.ts';
import type { JudgeRubric } from './rubric-types.ts';
import { inSample } from './sampling.ts';
import { SpendCap } from './spend-cap.ts';
import { abstainVerdict, type Verdict } from './verdict.ts';

/** How to grade the sessions of a store. */
export interface GradeStoreOptions {
  judge: Judge;
  rubric: JudgeRubric;
  /** Also write the verdict at the top of `judge_metadata` (seed 000's `$.primary`). @default true */
  primary?: boolean;
  selection?: SessionSelection;
  /** Skip sessions that already hold an ok verdict from this judge. */
  onlyMissing?: boolean;
  /** Fraction of sessions judged; the rest get an `abstain` (sampled out). @default 1 */
  sampleRate?: number;
  sampleSeed?: string;
  limit?: number;
  /** Ignore cached verdicts (fresh ones still refresh the cache). */
  force?: boolean;
  cache?: JudgmentCache | null;
  /** Judgments in flight at once. @default 8 */
  concurrency?: number;
  /** Stop starting judgments before this spend would be exceeded. */
  maxCostUsd?: number;
  /** Price and count everything, call nothing, write nothing. */
  dryRun?: boolean;
  onResult?: (result: GradeResult) => void;
  signal?: AbortSignal;
}

/** What happened to one session. */
export interface GradeResult {
  sessionId: string;
  status: Verdict['status'] | 'skipped';
  score: number | null;
  reason?: string;
  cached: boolean;
  costUsd: number;
}

/** Totals of a grading run. */
export interface GradeSummary {
  judge: string;
  rubricId: string;
  rubricVersion: string;
  selected: number;
  ok: number;
  error: number;
  abstain: number;
  /** Not started because the spend cap would have been exceeded. */
  skippedSpendCap: number;
  /** Left alone by --only-missing. */
  skippedExisting: number;
  cacheHits: number;
  costUsd: number;
  /** Dry run (and real runs): what the judgments not served from the cache would cost. */
  estimate: {
    judgments: number;
    calls: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
  };
  dryRun: boolean;
  results: GradeResult[];
}

function addEstimate(total: GradeSummary['estimate'], e: JudgmentEstimate): void {
  total.judgments += 1;
  total.calls += e.calls;
  total.inputTokens += e.inputTokens;
  total.outputTokens += e.outputTokens;
  total.costUsd = total.costUsd === null || e.costUsd === null ? null : total.costUsd + e.costUsd;
}

/**
 * Grades the sessions of a store and merges each verdict into `session_traces.judge_metadata`.
 * Cached verdicts are reused (free) unless `force`; errors and abstentions are recorded without a score.
 */
export async function gradeStore(store: TraceStore, options: GradeStoreOptions): Promise<GradeSummary> {
  const { judge, rubric } = options;
  const summary: GradeSummary = {
    judge: judge.name,
    rubricId: rubric.id,
    rubricVersion: rubric.version,
    selected: 0,
    ok: 0,
    error: 0,
    abstain: 0,
    skippedSpendCap: 0,
    skippedExisting: 0,
    cacheHits: 0,
    costUsd: 0,
    estimate: { judgments: 0, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    dryRun: options.dryRun ?? false,
    results: [],
  };
  const pending: { id: string; meta: JudgeMetadata | null }[] = [];
  // Ids first, then work: no read cursor stays open while verdicts are written.
  for await (const s of store.listSessions({ ...options.selection })) {
    if (options.onlyMissing && storedScore(s.judge_metadata, judge.name) !== null) {
      summary.skippedExisting += 1;
      continue;
    }
    pending.push({ id: s.session_id, meta: s.judge_metadata });
    if (options.limit !== undefined && pending.length >= options.limit) break;
  }
  summary.selected = pending.length;
  const cap = options.maxCostUsd === undefined ? null : new SpendCap(options.maxCostUsd);
  let capHit = false;
  // A verdict's write does not hold a judgment slot: the next judgment starts while the store commits.
  const writes = createPendingWrites();
  const record = (id: string, meta: JudgeMetadata | null, verdict: Verdict, cached: boolean) => {
    if (options.dryRun) return report(id, verdict, cached);
    const stored = cached ? { ...verdict, metadata: { ...verdict.metadata, cached: true } } : verdict;
    const patch = judgeMetadataPatch(stored, {
      name: judge.name,
      primary: options.primary ?? true,
      existing: meta,
    });
    writes.add(store.mergeJudgeMetadata(id, patch).then(() => report(id, verdict, cached)));
  };
  const report = (id: string, verdict: Verdict, cached: boolean) => {
    const cost = cached ? 0 : Number((verdict.metadata as JsonObject).cost_usd ?? 0) || 0;
    summary[verdict.status] += 1;
    summary.costUsd += cost;
    const result: GradeResult = {
      sessionId: id,
      status: verdict.status,
      score: verdict.status === 'ok' ? verdict.scores.primary : null,
      ...(verdict.status === 'ok' ? {} : { reason: verdict.reason }),
      cached,
      costUsd: cost,
    };
    summary.results.push(result);
    options.onResult?.(result);
  };
  /** Everything before the provider call: the call to make, or null when the session needs none. */
  const stage = async ({
    id,
    meta,
  }: {
    id: string;
    meta: JudgeMetadata | null;
  }): Promise<(() => Promise<void>) | null> => {
    if (!inSample(id, options.sampleRate ?? 1, options.sampleSeed)) {
      if (!options.dryRun)
        record(
          id,
          meta,
          abstainVerdict(`sampled out (sample rate ${options.sampleRate})`, { judge: judge.name }),
          false,
        );
      return null;
    }
    const trace = await store.getSession(id);
    if (!trace) return null;
    const prepared = judge.prepare(trace, rubric);
    const hit =
      !options.force && prepared.cacheKey && options.cache ? options.cache.get(prepared.cacheKey) : null;
    if (hit) {
      summary.cacheHits += 1;
      if (!options.dryRun) record(id, meta, hit.verdict, true);
      return null;
    }
    addEstimate(summary.estimate, prepared.estimate);
    if (options.dryRun) return null;
    const reserve = prepared.estimate.maxCostUsd ?? 0;
    return async () => {
      // Reserved when the call starts, not when it is staged: a staged call must not crowd out a running one.
      if (capHit || (cap && !cap.tryReserve(reserve))) {
        capHit = true;
        summary.skippedSpendCap += 1;
        summary.results.push({
          sessionId: id,
          status: 'skipped',
          score: null,
          reason: 'spend cap',
          cached: false,
          costUsd: 0,
        });
        return;
      }
      const verdict = await prepared.run(options.signal);
      cap?.settle(reserve, Number((verdict.metadata as JsonObject).cost_usd ?? 0) || 0);
      if (verdict.status === 'ok' && prepared.cacheKey && options.cache) {
        options.cache.put(prepared.cacheKey, verdict, {
          judge: judge.name,
          rubricId: rubric.id,
          rubricVersion: String(verdict.metadata.rubric_version ?? rubric.version),
          model: judge.description,
        });
      }
      record(id, meta, verdict, false);
    };
  };
  if (cap && judge.kind === 'llm' && pending.length > 0) {
    const probe = await store.getSession((pending[0] as { id: string }).id);
    if (probe && judge.prepare(probe, rubric).estimate.maxCostUsd === null) {
      throw new UsageError(`no price known for ${judge.description}, so --max-cost-usd cannot be enforced`, {
        hint: 'use a priced model, or drop --max-cost-usd',
      });
    }
  }
  const concurrency = Math.max(1, options.concurrency ?? 8);
  let next = 0;
  const nextCall = async () => {
    while (next < pending.length && !options.signal?.aborted) {
      const call = await stage(pending[next++] as { id: string; meta: JudgeMetadata | null });
      if (call) return call;
    }
    return null;
  };
  // Each slot stages its next call (read the trace, render, look up the cache) while the current call is
  // out, after its request has left (setImmediate): when the answer comes back, the next request goes at once.
  const stagedLater = () =>
    new Promise<(() => Promise<void>) | null>((resolve, reject) =>
      setImmediate(() => nextCall().then(resolve, reject)),
    );
  const slots = Array.from({ length: Math.min(concurrency, pending.length) }, async () => {
    let call = await nextCall();
    while (call && !options.signal?.aborted) {
      const following = stagedLater();
      await call();
      call = await following;
    }
  });
  await Promise.all(slots);
  await writes.settle();
  return summary;
}
