/**
 * The filter stage: judged traces → fine-tuning datasets (chat SFT JSONL or DPO pairs) with a manifest.
 * @module filter
 */
export * from './atomic-file.ts';
export * from './criteria.ts';
export * from './example-metadata.ts';
export * from './examples.ts';
export * from './manifest.ts';
export * from './normalize-message.ts';
export * from './open-trace-db.ts';
export * from './options.ts';
export * from './post-filter.ts';
export * from './python-literal.ts';
export * from './run-filter.ts';
export * from './scrub.ts';
export * from './summary.ts';
export * from './time-bound.ts';
export * from './tool-calls.ts';
export * from './tools-resolver.ts';
export * from './validate-example.ts';
export * from './validate-file.ts';
