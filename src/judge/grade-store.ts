import { UsageError } from '../errors.ts';
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
  const record = async (id: string, meta: JudgeMetadata | null, verdict: Verdict, cached: boolean) => {
    const cost = cached ? 0 : Number((verdict.metadata as JsonObject).cost_usd ?? 0) || 0;
    summary[verdict.status] += 1;
    summary.costUsd += cost;
    if (!options.dryRun) {
      const stored = cached ? { ...verdict, metadata: { ...verdict.metadata, cached: true } } : verdict;
      await store.mergeJudgeMetadata(
        id,
        judgeMetadataPatch(stored, { name: judge.name, primary: options.primary ?? true, existing: meta }),
      );
    }
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
  const work = async ({ id, meta }: { id: string; meta: JudgeMetadata | null }) => {
    if (!inSample(id, options.sampleRate ?? 1, options.sampleSeed)) {
      if (!options.dryRun)
        await record(
          id,
          meta,
          abstainVerdict(`sampled out (sample rate ${options.sampleRate})`, { judge: judge.name }),
          false,
        );
      return;
    }
    const trace = await store.getSession(id);
    if (!trace) return;
    const prepared = judge.prepare(trace, rubric);
    const hit =
      !options.force && prepared.cacheKey && options.cache ? options.cache.get(prepared.cacheKey) : null;
    if (hit) {
      summary.cacheHits += 1;
      if (!options.dryRun) await record(id, meta, hit.verdict, true);
      return;
    }
    addEstimate(summary.estimate, prepared.estimate);
    if (options.dryRun) return;
    const reserve = prepared.estimate.maxCostUsd ?? 0;
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
    await record(id, meta, verdict, false);
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
  const workers = Array.from({ length: Math.min(concurrency, pending.length) }, async () => {
    while (next < pending.length && !options.signal?.aborted) {
      const item = pending[next++] as { id: string; meta: JudgeMetadata | null };
      await work(item);
    }
  });
  await Promise.all(workers);
  return summary;
}
