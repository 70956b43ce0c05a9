/**
 * A process-wide cache of chat models, so callers that build a model per unit of work (the task app's LLM
 * policy builds one per rollout) reuse one SDK client, connection pool and limiter per
 * (provider, model, base URL, key, settings) instead of constructing them again every time.
 * @module
 */
import { createHash } from 'node:crypto';
import { type ChatModelOptions, createChatModel } from './chat-model.ts';
import { resolveProvider } from './providers.ts';
import type { ChatModel } from './types.ts';

/** Models kept at most; the oldest is dropped first (a run uses one or two). */
const MAX_MODELS = 32;
const models = new Map<string, ChatModel>();

/** Options that carry behaviour (functions, a limiter) cannot be compared, so such models are never shared. */
const UNSHAREABLE = ['fetch', 'onCall', 'limiter'] as const;
/** Read through `resolveProvider` (its result is the key); `env` only matters for the key it yields. */
const RESOLVED = new Set([
  'provider',
  'model',
  'baseURL',
  'inference_url',
  'apiKey',
  'apiKeyEnv',
  'api_key_env',
  'env',
]);

function cacheKey(options: ChatModelOptions): string | null {
  if (UNSHAREABLE.some((name) => options[name] !== undefined)) return null;
  const resolved = resolveProvider(options);
  // The key itself never enters the cache key: only a digest of it, so a dump of the map shows no secret.
  const keyDigest =
    resolved.apiKey === undefined ? null : createHash('sha256').update(resolved.apiKey).digest('hex');
  const rest: Record<string, unknown> = {};
  for (const name of Object.keys(options).sort()) {
    const value = (options as unknown as Record<string, unknown>)[name];
    if (!RESOLVED.has(name) && value !== undefined) rest[name] = value;
  }
  return JSON.stringify([
    resolved.provider,
    resolved.model,
    resolved.baseURL,
    resolved.apiKeyEnv ?? null,
    keyDigest,
    rest,
  ]);
}

/**
 * `createChatModel`, but the same options (same provider, model, base URL, key and settings) give the same
 * model for the life of the process. Options with a custom `fetch`, `onCall` or `limiter` always get a
 * fresh model. Bad options fail exactly as `createChatModel` fails.
 * @example const model = sharedChatModel({ model: 'gpt-4o-mini' }); // same object on the next call
 */
export function sharedChatModel(options: ChatModelOptions): ChatModel {
  const key = cacheKey(options);
  if (key === null) return createChatModel(options);
  const cached = models.get(key);
  if (cached) return cached;
  const model = createChatModel(options);
  if (models.size >= MAX_MODELS) models.delete(models.keys().next().value as string);
  models.set(key, model);
  return model;
}

/** Forgets every shared model (tests; or after rotating a key that is read from a file). */
export function clearSharedChatModels(): void {
  models.clear();
}
