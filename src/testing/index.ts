/**
 * Test and benchmark utilities for users' own tests: a local mock LLM provider.
 * @module testing
 */
export * from './mock-provider.ts';
export * from './mock-replies.ts';
export * from './mock-wire.ts';
