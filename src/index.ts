/**
 * synth-ai: post-train LLM agents. Everything the CLI does is importable from here.
 * @module
 */
export * from './apps/index.ts';
export * from './config/index.ts';
export * from './demo/index.ts';
export * from './errors.ts';
export * from './eval/index.ts';
export * from './filter/index.ts';
export * from './inference/index.ts';
export * from './judge/index.ts';
export * from './policies/index.ts';
export * from './rl/index.ts';
export * from './task-app/index.ts';
export * from './tracing/index.ts';
export * from './train/index.ts';
export { VERSION } from './version.ts';
