/** @module apps: the built-in task apps and the registry. */
export * from './banking77/index.ts';
export * from './crafter/index.ts';
export * from './grpo-crafter.ts';
export * from './registry.ts';
