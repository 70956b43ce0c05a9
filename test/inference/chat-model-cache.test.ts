import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../src/errors.ts';
import { clearSharedChatModels, sharedChatModel } from '../../src/inference/index.ts';
import { createLlmPolicy } from '../../src/policies/llm-policy.ts';
import { mockReply, startMockProvider } from '../../src/testing/index.ts';

describe('shared chat models', () => {
  before(() => clearSharedChatModels());
  after(() => clearSharedChatModels());

  it('gives the same model for the same provider, model, URL, key and settings', () => {
    const env = { OPENAI_API_KEY: 'sk-test-aaaaaaaaaaaaaaaaaaaaaaaa' };
    const a = sharedChatModel({ model: 'gpt-4o-mini', env });
    assert.equal(sharedChatModel({ model: 'openai:gpt-4o-mini', env: { ...env } }), a);
    assert.notEqual(sharedChatModel({ model: 'gpt-4o', env }), a);
    assert.notEqual(sharedChatModel({ model: 'gpt-4o-mini', env, timeoutMs: 5_000 }), a);
    assert.notEqual(sharedChatModel({ model: 'gpt-4o-mini', baseURL: 'http://127.0.0.1:9/v1', env }), a);
  });

  it('builds a new model when the key changes, and never puts the key in the cache key', () => {
    const first = sharedChatModel({
      model: 'gpt-4o-mini',
      env: { OPENAI_API_KEY: 'sk-first-bbbbbbbbbbbbbbbbbbbb' },
    });
    const second = sharedChatModel({
      model: 'gpt-4o-mini',
      env: { OPENAI_API_KEY: 'sk-second-cccccccccccccccccc' },
    });
    assert.notEqual(first, second);
    assert.equal(
      sharedChatModel({ model: 'gpt-4o-mini', env: { OPENAI_API_KEY: 'sk-second-cccccccccccccccccc' } }),
      second,
    );
  });

  it('never shares models that carry their own fetch or call hook', () => {
    const options = { model: 'm', baseURL: 'http://127.0.0.1:9/v1', fetch: globalThis.fetch };
    assert.notEqual(sharedChatModel(options), sharedChatModel(options));
    const hooked = { model: 'm', baseURL: 'http://127.0.0.1:9/v1', onCall: () => {} };
    assert.notEqual(sharedChatModel(hooked), sharedChatModel(hooked));
  });

  it('fails on bad options as createChatModel does, and caches nothing', () => {
    assert.throws(() => sharedChatModel({ model: 'gpt-4o-mini', env: {} }), UsageError);
    assert.throws(() => sharedChatModel({ model: 'gpt-4o-mini', env: {} }), /OPENAI_API_KEY is not set/);
  });

  it('serves many per-rollout policies from one model against a real server', async () => {
    const mock = await startMockProvider({ handler: () => mockReply.toolCall('answer', { text: 'ok' }) });
    try {
      const config = {
        model: 'mock-model',
        provider: 'openai-compatible',
        inference_url: mock.openaiBaseURL,
      };
      const tools = [
        {
          type: 'function' as const,
          function: {
            name: 'answer',
            description: 'answer',
            parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
          },
        },
      ];
      for (let seed = 0; seed < 3; seed++) {
        const policy = createLlmPolicy({ seed, appId: 'generic', config });
        const decision = await policy.decide({
          seed,
          turn: 0,
          observation: { text: `question ${seed}` },
          tools,
          history: [],
        } as unknown as Parameters<typeof policy.decide>[0]);
        assert.equal(decision.toolCalls[0]?.function.name, 'answer');
      }
      assert.equal(mock.requests.length, 3);
      // Each request went out with its own rollout's observation.
      const firstLines = mock.requests.map(
        (r) => String((r.body?.messages as { content: string }[] | undefined)?.[1]?.content).split('\n')[0],
      );
      assert.deepEqual(firstLines, ['question 0', 'question 1', 'question 2']);
    } finally {
      await mock.close();
    }
  });
});
