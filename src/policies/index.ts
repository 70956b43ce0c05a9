/** @module policies: the Policy contract, built-in programmatic policies, and LLM policies. */
export { crafterDecision } from './crafter-messages.ts';
export { createCrafterRandomPolicy } from './crafter-random.ts';
export { createCrafterScriptedPolicy } from './crafter-scripted.ts';
export * from './llm-banking77-policy.ts';
export * from './llm-crafter-policy.ts';
export * from './llm-history.ts';
export * from './llm-policy.ts';
export * from './llm-policy-config.ts';
export * from './llm-policy-core.ts';
export * from './llm-tool-check.ts';
export * from './prompts/index.ts';
export * from './types.ts';
