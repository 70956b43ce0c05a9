/**
 * Crafter (`grpo-crafter`): the engine, its `Environment`, task info and rubric.
 * @module
 */
export * from './actions.ts';
export * from './config.ts';
export * from './constants.ts';
export { CrafterEngine, daylightAt, type EngineOptions, type EngineStep } from './engine.ts';
export * from './environment.ts';
export * from './observation.ts';
export * from './png.ts';
export * from './prompt.ts';
export * from './render.ts';
export * from './rng.ts';
export * from './rubric.ts';
export * from './rubric-episode.ts';
export * from './task-info.ts';
export * from './tool.ts';
