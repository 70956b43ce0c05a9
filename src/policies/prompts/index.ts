/** Prompts of the built-in LLM policies. @module */
export * from './banking77.ts';
export * from './crafter.ts';
