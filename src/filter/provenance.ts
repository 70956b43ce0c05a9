/**
 * Collects the rubric and judge ids seen in the verdicts of exported sessions, for the manifest.
 * Bounded: at most {@link MAX_IDS} distinct values of each are kept.
 * @module
 */
import type { JudgeMetadata } from '../tracing/types.ts';

const MAX_IDS = 100;
// Keys of judge_metadata that are not judges (the judge stage's bookkeeping and seed 000's fields).
const BOOKKEEPING = new Set(['reasoning', 'metadata', 'errors', 'status', 'judge', 'event', 'outcome']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Distinct rubric ids, judge ids (provider/model or judge_id) and judge names across verdicts. */
export class ProvenanceCollector {
  readonly rubricIds = new Set<string>();
  readonly judgeIds = new Set<string>();
  readonly judgeNames = new Set<string>();

  add(verdict: JudgeMetadata | null | undefined): void {
    if (!verdict) return;
    this.#fromMeta(verdict.metadata);
    for (const [name, value] of Object.entries(verdict)) {
      if (BOOKKEEPING.has(name)) continue;
      if (typeof value === 'number' || isObject(value)) this.#put(this.judgeNames, name);
      if (isObject(value)) {
        this.#fromMeta(value);
        this.#fromMeta(value.metadata);
      }
    }
  }

  #fromMeta(meta: unknown): void {
    if (!isObject(meta)) return;
    const rubric = meta.rubric_id ?? meta.rubric;
    if (typeof rubric === 'string') {
      const version = meta.rubric_version;
      this.#put(
        this.rubricIds,
        typeof version === 'string' && version !== '' ? `${rubric}@${version}` : rubric,
      );
    }
    const model = meta.judge_model ?? meta.model;
    const provider = meta.judge_provider ?? meta.provider;
    const engine =
      typeof model === 'string'
        ? typeof provider === 'string'
          ? `${provider}/${model}`
          : model
        : typeof meta.verifier === 'string'
          ? `verifier:${meta.verifier}`
          : undefined;
    const name =
      typeof meta.judge_id === 'string'
        ? meta.judge_id
        : typeof meta.judge === 'string'
          ? meta.judge
          : undefined;
    if (engine || name) this.#put(this.judgeIds, [name, engine].filter(Boolean).join('='));
  }

  #put(set: Set<string>, value: string): void {
    if (set.size < MAX_IDS) set.add(value);
  }
}
