import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.ts';
import {
  backoffDelay,
  computeCostUsd,
  createChatModel,
  createPriceTable,
  findModelPrice,
  InferenceError,
  makeUsage,
  mapFinishReason,
  parseRetryAfter,
  redactKeys,
  resolveProvider,
} from '../../src/inference/index.ts';

const env = {
  OPENAI_API_KEY: 'sk-openai-xxxxxxxxxxxxxxxxxxxx',
  GROQ_API_KEY: 'gsk_groqgroqgroqgroqgroq',
  MY_KEY: 'custom-key-123',
};

describe('provider resolution', () => {
  it('picks the provider from the option, a model prefix or the URL host', () => {
    assert.equal(resolveProvider({ model: 'gpt-4o-mini', env }).provider, 'openai');
    const groq = resolveProvider({ model: 'groq:llama-3.3-70b-versatile', env });
    assert.deepEqual(
      [groq.provider, groq.model, groq.baseURL, groq.apiKey],
      ['groq', 'llama-3.3-70b-versatile', 'https://api.groq.com/openai/v1', env.GROQ_API_KEY],
    );
    const byUrl = resolveProvider({
      model: 'llama-3.1-8b-instant',
      inference_url: 'https://api.groq.com/openai/v1/',
      env,
    });
    assert.equal(byUrl.provider, 'groq');
    assert.equal(byUrl.baseURL, 'https://api.groq.com/openai/v1');
    const local = resolveProvider({
      model: 'Qwen/Qwen3-4B',
      inference_url: 'http://127.0.0.1:8000/v1',
      env: {},
    });
    assert.deepEqual(
      [local.provider, local.api, local.apiKey],
      ['openai-compatible', 'openai-chat', undefined],
    );
    const anthropic = resolveProvider({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      baseURL: 'http://h/v1',
      apiKey: 'k',
    });
    assert.deepEqual([anthropic.api, anthropic.baseURL], ['anthropic-messages', 'http://h']);
    // A colon that is not a provider prefix stays in the model name (fine-tuned model ids).
    assert.equal(
      resolveProvider({ model: 'ft:gpt-4o-mini:org:x:abc', env }).model,
      'ft:gpt-4o-mini:org:x:abc',
    );
  });

  it('reads the key from api_key_env, and names the variable when it is missing', () => {
    assert.equal(resolveProvider({ model: 'gpt-4o', api_key_env: 'MY_KEY', env }).apiKey, 'custom-key-123');
    assert.throws(
      () => createChatModel({ model: 'anthropic:claude-haiku-4-5', env: {} }),
      (e: unknown) => e instanceof UsageError && /ANTHROPIC_API_KEY is not set/.test(e.message),
    );
    assert.throws(
      () =>
        resolveProvider({
          model: 'Qwen/Qwen3-4B',
          inference_url: 'http://127.0.0.1:8000/v1',
          api_key_env: 'VLLM_KEY',
          env: {},
        }),
      /VLLM_KEY is not set/,
    );
    assert.throws(
      () => resolveProvider({ provider: 'groq', model: 'anthropic:claude-3-haiku', env }),
      UsageError,
    );
    assert.throws(() => resolveProvider({ model: 'm', inference_url: 'not a url', env }), /not a valid URL/);
  });
});

describe('pricing', () => {
  const table = createPriceTable({ 'my-model': { input: 1, output: 2 } });
  it('matches exact names, dated snapshots, fine-tunes and provider-scoped entries', () => {
    assert.equal(findModelPrice(table, 'openai', 'gpt-4o-mini-2024-07-18'), table['gpt-4o-mini']);
    assert.equal(findModelPrice(table, 'openai', 'gpt-4o-2024-08-06'), table['gpt-4o']);
    assert.equal(findModelPrice(table, 'openai', 'ft:gpt-4o-mini-2024-07-18:org::abc'), table['gpt-4o-mini']);
    assert.equal(
      findModelPrice(table, 'anthropic', 'claude-sonnet-4-5-20250929'),
      table['claude-sonnet-4-5'],
    );
    assert.equal(findModelPrice(table, 'groq', 'openai/gpt-oss-120b'), table['groq:openai/gpt-oss-120b']);
    assert.equal(findModelPrice(table, 'together', 'openai/gpt-oss-120b'), undefined);
    assert.equal(findModelPrice(table, 'openai', 'gpt-4.5-preview'), undefined);
    assert.equal(findModelPrice(table, 'x', 'my-model'), table['my-model']);
  });
  it('computes cost in USD with cached and cache-write tokens', () => {
    const usage = makeUsage(1000, 100, { cached: 200 });
    const cost = computeCostUsd({ input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 }, usage, 300);
    assert.ok(Math.abs(cost - (500 * 3 + 200 * 0.3 + 300 * 3.75 + 100 * 15) / 1e6) < 1e-15);
  });
});

describe('small mappers', () => {
  it('maps finish reasons with an explicit fallback', () => {
    assert.equal(mapFinishReason('stop', true), 'tool-calls');
    assert.equal(mapFinishReason('end_turn', false), 'stop');
    assert.equal(mapFinishReason('max_tokens', false), 'length');
    assert.equal(mapFinishReason('refusal', false), 'content-filter');
    assert.equal(mapFinishReason('weird', false), 'other');
  });
  it('parses retry-after in ms, seconds and dates, and ignores asks over 60 s', () => {
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250' })), 250);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '2' })), 2000);
    const date = new Date(Date.now() + 5000).toUTCString();
    const fromDate = parseRetryAfter(new Headers({ 'retry-after': date })) ?? 0;
    assert.ok(fromDate > 3000 && fromDate <= 5000);
    const tooLong = new InferenceError('rate-limited', 'x', { retryable: true, retryAfterMs: 120_000 });
    assert.ok(backoffDelay(1, tooLong, { baseDelayMs: 100 }) <= 100);
    const delays = [1, 2, 3].map((n) =>
      backoffDelay(n, new InferenceError('server', 'x'), { baseDelayMs: 100 }),
    );
    assert.ok(delays[0]! >= 50 && delays[0]! <= 100 && delays[2]! >= 200 && delays[2]! <= 400);
  });
  it('scrubs known secrets and key-shaped strings', () => {
    const text =
      'key custom-key-123 and sk-proj-abcdefghijklmnopqrstuvwxyz and Bearer gsk_abcdefghijklmnopqrstu';
    const out = redactKeys(text, ['custom-key-123']);
    assert.equal(out, 'key [redacted] and [redacted] and Bearer [redacted]');
  });
});
