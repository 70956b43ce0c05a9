import { UsageError } from '../errors.ts';
import { parseTraceLocation } from '../tracing/location.ts';
import { openTraceStore } from '../tracing/open-store.ts';
import type { TraceStore } from '../tracing/store.ts';
import { createJudgeFromSettings, type LlmJudgeTuning } from './create-judge.ts';
import { type GradeStoreOptions, type GradeSummary, gradeStore } from './grade-store.ts';
import type { JudgeSettings } from './judge-config.ts';
import { type JudgmentCache, openJudgmentCache } from './judgment-cache.ts';
import { resolveRubricRef } from './rubric-load.ts';
import { createRubricRegistry, type RegisteredRubric, type RubricRegistry } from './rubric-registry.ts';

/** Everything `synth-ai judge` does, as a library call. */
export interface GradeDbOptions extends Omit<GradeStoreOptions, 'judge' | 'rubric' | 'cache'> {
  db: string;
  settings: JudgeSettings;
  /** A rubric id or a JSON/TOML path; default: the settings' rubric id, else the sessions' `task_rubric_id`/env. */
  rubric?: string;
  /** Use the judgments cache (a table in the same SQLite file). @default true for local files */
  cache?: boolean;
  registry?: RubricRegistry;
  tuning?: LlmJudgeTuning;
  env?: Record<string, string | undefined>;
}

async function defaultRubric(store: TraceStore, registry: RubricRegistry): Promise<string> {
  for await (const s of store.listSessions({ limit: 1 })) {
    for (const key of ['task_rubric_id', 'rubric_id', 'env_name', 'app_id']) {
      const v = s.metadata[key];
      if (typeof v === 'string' && registry.has(v)) return v;
    }
  }
  throw new UsageError('no rubric given and none found in the sessions metadata', {
    hint: `pass --rubric (known: ${registry.ids().join(', ')}) or a rubric file`,
  });
}

/** Opens the DB, resolves rubric and judge, grades with the cache, closes everything. */
export async function gradeDb(options: GradeDbOptions): Promise<GradeSummary> {
  const registry = options.registry ?? createRubricRegistry();
  const location = parseTraceLocation(options.db, { env: options.env });
  if (location.kind === 'disabled')
    throw new UsageError(`--db ${options.db} disables tracing`, { hint: 'give the path of a trace DB' });
  const store = await openTraceStore(location, { env: options.env });
  if (!store) throw new UsageError(`cannot open ${options.db}`, { hint: 'give the path of a trace DB' });
  let cache: JudgmentCache | null = null;
  try {
    const ref = options.rubric ?? options.settings.rubricId ?? (await defaultRubric(store, registry));
    const { rubric, fromRegistry } = resolveRubricRef(ref, registry);
    const registered: RegisteredRubric = fromRegistry
      ? registry.get(ref)
      : { rubric, verifier: registry.has(rubric.id) ? registry.get(rubric.id).verifier : null };
    const judge = createJudgeFromSettings(
      options.settings,
      { ...registered, rubric },
      { env: options.env, ...options.tuning },
    );
    if (options.cache !== false && location.kind === 'file' && judge.kind === 'llm')
      cache = openJudgmentCache(location.path);
    return await gradeStore(store, { ...options, judge, rubric, cache });
  } finally {
    cache?.close();
    await store.close();
  }
}

/** One paragraph on what a grading run did (or, dry, would do). */
export function formatGradeSummary(s: GradeSummary, model: string): string {
  const usd = (x: number | null) => (x === null ? 'unknown (no price for this model)' : `$${x.toFixed(4)}`);
  const e = s.estimate;
  if (s.dryRun) {
    return [
      `dry run: judge ${s.judge} (${model}), rubric ${s.rubricId} ${s.rubricVersion}`,
      `${s.selected} sessions selected, ${s.skippedExisting} already judged, ${s.cacheHits} served by the cache`,
      `would make ${e.calls} calls for ${e.judgments} judgments: ~${e.inputTokens} input tokens, ~${e.outputTokens} output tokens, estimated cost ${usd(e.costUsd)}`,
    ].join('\n');
  }
  return [
    `judge ${s.judge} (${model}), rubric ${s.rubricId} ${s.rubricVersion}: ${s.selected} sessions`,
    `ok ${s.ok}, error ${s.error}, abstain ${s.abstain}, skipped by spend cap ${s.skippedSpendCap}, already judged ${s.skippedExisting}`,
    `cache hits ${s.cacheHits}, cost $${s.costUsd.toFixed(4)}`,
  ].join('\n');
}
