import { UsageError } from '../errors.ts';
import type { JudgeMetadata, SessionTrace } from '../tracing/types.ts';
import { createJudgeFromSettings, type LlmJudgeTuning } from './create-judge.ts';
import { judgeMetadataPatch } from './judge-metadata.ts';
import type { JudgmentCache } from './judgment-cache.ts';
import { createRubricRegistry, type RubricRegistry } from './rubric-registry.ts';
import type { Verdict } from './verdict.ts';

/** Options of one `scoreEpisode` call (seed 000 step 2's keywords, camel-cased). */
export interface ScoreEpisodeOptions {
  rubricId: string;
  /** `openai`, `groq`, `anthropic`, `openai-compatible`, a base URL, or `programmatic` (the default). */
  provider?: string;
  model?: string;
  apiKeyEnv?: string;
  baseURL?: string;
  name?: string;
  event?: boolean;
  outcome?: boolean;
  samples?: number;
  force?: boolean;
}

/** A verdict plus the `judge_metadata` JSON it stores as (`toJson()`, as seed 000 calls `to_json()`). */
export class JudgeResult {
  readonly verdict: Verdict;
  readonly name: string;
  readonly cached: boolean;
  constructor(verdict: Verdict, name: string, cached: boolean) {
    this.verdict = verdict;
    this.name = name;
    this.cached = cached;
  }
  /** The seed-000 shape (primary judge at the top, itself under its name; failures under `errors`). */
  toJudgeMetadata(existing: JudgeMetadata | null = null): JudgeMetadata {
    return judgeMetadataPatch(this.verdict, { name: this.name, primary: true, existing });
  }
  toJson(): string {
    return JSON.stringify(this.toJudgeMetadata());
  }
}

/** Settings of a client. */
export interface JudgeClientOptions {
  registry?: RubricRegistry;
  cache?: JudgmentCache | null;
  tuning?: LlmJudgeTuning;
  env?: Record<string, string | undefined>;
}

/**
 * Grades single episodes in-process (no backend):
 * @example
 * const client = new JudgeClient();
 * const result = await client.scoreEpisode(trace, { rubricId: 'crafter/bundle@v1', provider: 'openai', model: 'gpt-4o-mini' });
 * await store.mergeJudgeMetadata(trace.session_id, result.toJudgeMetadata());
 */
export class JudgeClient {
  readonly registry: RubricRegistry;
  readonly #options: JudgeClientOptions;
  constructor(options: JudgeClientOptions = {}) {
    this.registry = options.registry ?? createRubricRegistry();
    this.#options = options;
  }

  /** Grades one trace (a `SessionTrace` or its JSON, as `trace_data` holds it). */
  async scoreEpisode(trace: SessionTrace | string, options: ScoreEpisodeOptions): Promise<JudgeResult> {
    let parsed: SessionTrace;
    try {
      parsed = typeof trace === 'string' ? (JSON.parse(trace) as SessionTrace) : trace;
    } catch {
      throw new UsageError('trace is not valid JSON', {
        hint: 'pass the trace_data column or a SessionTrace object',
      });
    }
    const registered = this.registry.get(options.rubricId);
    let provider = options.provider ?? 'programmatic';
    let baseURL = options.baseURL;
    if (/^https?:\/\//.test(provider)) {
      baseURL = provider;
      provider = 'openai-compatible';
    }
    const judge = createJudgeFromSettings(
      {
        enabled: true,
        provider,
        model: options.model,
        apiKeyEnv: options.apiKeyEnv,
        baseURL,
        name: options.name,
        outcome: options.outcome ?? true,
        event: options.event ?? false,
        samples: options.samples,
      },
      registered,
      { env: this.#options.env, ...this.#options.tuning },
    );
    const prepared = judge.prepare(parsed, registered.rubric);
    const cache = this.#options.cache;
    const hit = !options.force && cache && prepared.cacheKey ? cache.get(prepared.cacheKey) : null;
    if (hit) return new JudgeResult(hit.verdict, judge.name, true);
    const verdict = await prepared.run();
    if (verdict.status === 'ok' && cache && prepared.cacheKey) {
      cache.put(prepared.cacheKey, verdict, {
        judge: judge.name,
        rubricId: registered.rubric.id,
        rubricVersion: registered.rubric.version,
        model: judge.description,
      });
    }
    return new JudgeResult(verdict, judge.name, false);
  }
}
