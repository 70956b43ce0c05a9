/** @module inference */
export * from './adapter.ts';
export * from './anthropic-convert.ts';
export * from './anthropic-messages.ts';
export * from './chat-model.ts';
export * from './errors.ts';
export * from './finish-reason.ts';
export * from './interceptor.ts';
export * from './map-error.ts';
export * from './openai-chat.ts';
export * from './openai-wire.ts';
export * from './pricing.ts';
export * from './providers.ts';
export * from './rate-limit.ts';
export * from './record.ts';
export * from './redact.ts';
export * from './retry.ts';
export type * from './types.ts';
