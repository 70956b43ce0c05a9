/**
 * Judges: rubrics → verdicts. LLM judges and programmatic verifiers grade traces against rubrics; verdicts are
 * three-state, stored in `session_traces.judge_metadata` (seed 000's shape) and cached by content hash.
 * @module judge
 */

export * from './crafter-rubric.ts';
export * from './create-judge.ts';
export * from './episode-steps.ts';
export * from './fence.ts';
export * from './grade-db.ts';
export * from './grade-store.ts';
export * from './judge-client.ts';
export * from './judge-config.ts';
export * from './judge-metadata.ts';
export * from './judge-types.ts';
export * from './judgment-cache.ts';
export * from './llm-judge.ts';
export * from './programmatic-judge.ts';
export * from './render-trace.ts';
export * from './report.ts';
export * from './rubric-load.ts';
export * from './rubric-parse.ts';
export * from './rubric-registry.ts';
export * from './rubric-score.ts';
export * from './rubric-types.ts';
export * from './sampling.ts';
export * from './spend-cap.ts';
export * from './stats.ts';
export * from './structured-call.ts';
export * from './verdict.ts';
export * from './verdict-schema.ts';
