import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createCrafterEnvironment } from '../../src/apps/crafter/environment.ts';
import { ConfigError } from '../../src/errors.ts';
import { clearSharedRateLimiters } from '../../src/inference/index.ts';
import { createCrafterLlmPolicy } from '../../src/policies/llm-crafter-policy.ts';
import { createLlmPolicy } from '../../src/policies/llm-policy.ts';
import { parseLlmPolicyConfig } from '../../src/policies/llm-policy-config.ts';
import { LlmPolicyError } from '../../src/policies/llm-policy-core.ts';
import type { PolicyContext, PolicyTurn } from '../../src/policies/types.ts';
import type { LlmPolicyFactory } from '../../src/task-app/policy-resolver.ts';
import { type MockProvider, mockReply, startMockProvider } from '../../src/testing/index.ts';
import type { ChatMessage, ToolDefinition } from '../../src/tracing/types.ts';

const KEY = 'sk-test-policy-0123456789abcdef';

describe('LLM policies against the mock provider', () => {
  let mock: MockProvider;
  before(async () => {
    mock = await startMockProvider({ apiKey: KEY });
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset();
    clearSharedRateLimiters();
  });

  const modelOptions = () => ({
    provider: 'openai',
    model: 'gpt-4o-mini',
    baseURL: mock.openaiBaseURL,
    apiKey: KEY,
    maxRetries: 0,
  });

  async function crafterContext(history: PolicyTurn[] = []): Promise<PolicyContext> {
    const env = createCrafterEnvironment({ seed: 3, split: 'train', config: {} });
    const observation = await env.reset();
    return { observation, tools: env.tools, history, turn: history.length, seed: 3 };
  }

  it('sends the Crafter prompt, observation and history with interact_many forced, and recovers from bad calls', async () => {
    mock.enqueue(
      mockReply.toolCall('interact_many', { actions: ['move_left', 'craft_table'] }),
      mockReply.toolCall('interact', { action: 5 }),
      mockReply.toolCall('interact_many', '{"actions": ["do",'),
      mockReply.toolCall('interact_many', { actions: ['move_left', 'do'] }),
    );
    const history: PolicyTurn[] = [
      {
        toolCalls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'interact_many', arguments: '{"actions":["do"]}' },
          },
        ],
        toolResult: 'collected wood',
        reward: 1,
      },
    ];
    const ctx = await crafterContext(history);
    const policy = createCrafterLlmPolicy({ model: modelOptions(), maxRepairs: 3 });
    const decision = await policy.decide(ctx);

    assert.equal(policy.name, 'crafter-react');
    assert.equal(decision.toolCalls.length, 1);
    assert.deepEqual(JSON.parse(decision.toolCalls[0]!.function.arguments), { actions: ['move_left', 'do'] });
    assert.equal(decision.llmCalls.length, 4);
    assert.match(
      String(decision.llmCalls[0]!.metadata.tool_call_problem),
      /actions\[1\] "craft_table" is not one of/,
    );
    assert.match(String(decision.llmCalls[1]!.metadata.tool_call_problem), /unknown tool "interact"/);
    assert.match(String(decision.llmCalls[2]!.metadata.tool_call_problem), /not valid JSON/);
    assert.equal(decision.llmCalls[3]!.metadata.tool_call_problem, undefined);

    const first = mock.requests[0]!.body!;
    assert.deepEqual(first.tool_choice, { type: 'function', function: { name: 'interact_many' } });
    assert.equal(first.parallel_tool_calls, false);
    assert.equal(first.temperature, 0.2);
    const sent = first.messages as ChatMessage[];
    assert.equal(sent[0]!.role, 'system');
    assert.match(String(sent[0]!.content), /table costs 2 wood/);
    assert.match(String(sent[0]!.content), /start at 9/);
    assert.ok(String(sent[1]!.content).startsWith(ctx.observation.text));
    assert.match(
      String(sent[1]!.content),
      /Previous tool calls \(most recent first\):\n- interact_many: \{"actions":\["do"\]\} \(reward 1; result: collected wood\)/,
    );

    // The repair turns answer each bad call with a tool message the model can read.
    const last = mock.requests[3]!.body!.messages as ChatMessage[];
    const toolAnswers = last.filter((m) => m.role === 'tool');
    assert.equal(toolAnswers.length, 3);
    assert.match(String(toolAnswers[0]!.content), /^Error: invalid interact_many call/);
    // What the decision returns is the whole exchange, ending with the valid call.
    assert.equal(decision.messages.length, 2 + 4 + 3);
    assert.deepEqual(decision.messages.at(-1)!.tool_calls, decision.toolCalls);
  });

  it('falls back to a marked noop call when the model never calls the tool, and the env accepts it', async () => {
    mock.setHandler(() => mockReply.text('I think I should move left.'));
    const ctx = await crafterContext();
    const decision = await createCrafterLlmPolicy({ model: modelOptions(), maxRepairs: 1 }).decide(ctx);
    assert.equal(mock.requests.length, 2);
    const retry = mock.requests[1]!.body!.messages as ChatMessage[];
    assert.match(String(retry.at(-1)!.content), /no tool call; answer by calling interact_many/);
    assert.deepEqual(JSON.parse(decision.toolCalls[0]!.function.arguments), { actions: ['noop'] });
    assert.equal(decision.messages.at(-1)!.name, 'policy_fallback');
    assert.equal(decision.llmCalls.at(-1)!.metadata.policy_fallback, true);
    const env = createCrafterEnvironment({ seed: 3, split: 'train', config: {} });
    await env.reset();
    const step = await env.step(decision.toolCalls[0]!);
    assert.equal(step.terminated, false);
  });

  it('passes a still-invalid call to the environment after the last repair, which reports it', async () => {
    mock.setHandler(() => mockReply.toolCall('interact_many', { actions: ['fly'] }));
    const ctx = await crafterContext();
    const decision = await createCrafterLlmPolicy({ model: modelOptions(), maxRepairs: 0 }).decide(ctx);
    assert.equal(decision.llmCalls.length, 1);
    assert.equal(decision.llmCalls[0]!.metadata.policy_fallback, true);
    const env = createCrafterEnvironment({ seed: 3, split: 'train', config: {} });
    await env.reset();
    const step = await env.step(decision.toolCalls[0]!);
    assert.match(step.toolResult, /fly/);
  });

  it('throws LlmPolicyError with the failed call record when the provider refuses the key', async () => {
    const ctx = await crafterContext();
    const policy = createCrafterLlmPolicy({
      model: { ...modelOptions(), apiKey: 'sk-wrong-key-0000000000000000' },
    });
    const err = await policy.decide(ctx).catch((e) => e);
    assert.ok(err instanceof LlmPolicyError);
    assert.equal(err.llmCalls.length, 1);
    assert.equal(err.llmCalls[0]!.error?.type, 'auth');
  });

  it('builds the Banking77 policy from factory options with the labels listed and the classify tool forced', async () => {
    const tool: ToolDefinition = {
      type: 'function',
      function: {
        name: 'banking77_classify',
        parameters: {
          type: 'object',
          properties: { intent: { type: 'string', enum: ['card_arrival', 'lost_or_stolen_card'] } },
          required: ['intent'],
          additionalProperties: false,
        },
      },
    };
    mock.enqueue(
      mockReply.toolCall('banking77_classify', { intent: 'stolen card' }),
      mockReply.toolCall('banking77_classify', { intent: 'lost_or_stolen_card' }),
    );
    process.env.SYNTH_TEST_POLICY_KEY = KEY;
    const policy = createLlmPolicy({
      seed: 0,
      appId: 'banking77',
      config: {
        model: 'gpt-4o-mini',
        inference_url: mock.openaiBaseURL,
        api_key_env: 'SYNTH_TEST_POLICY_KEY',
        max_retries: 0,
      },
    });
    const decision = await policy.decide({
      observation: { text: 'Customer query: my card was stolen', data: {} },
      tools: [tool],
      history: [],
      turn: 0,
      seed: 0,
    });
    assert.equal(policy.name, 'banking77-llm');
    assert.deepEqual(JSON.parse(decision.toolCalls[0]!.function.arguments), {
      intent: 'lost_or_stolen_card',
    });
    const body = mock.requests[0]!.body!;
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'banking77_classify' } });
    assert.equal(body.temperature, 0);
    assert.match(
      String((body.messages as ChatMessage[])[1]!.content),
      /Valid intents: card_arrival, lost_or_stolen_card/,
    );
    assert.match(String(decision.llmCalls[0]!.metadata.tool_call_problem), /"stolen card" is not one of/);
  });

  it("serves as the task-app server's LLM policy factory", () => {
    // Compile-time: the server (and eval's local server) can take createLlmPolicy as is.
    const factory: LlmPolicyFactory = createLlmPolicy;
    const crafter = factory({
      seed: 1,
      appId: 'crafter',
      config: { model: 'gpt-4o-mini', inference_url: mock.openaiBaseURL },
    });
    const other = factory({
      seed: 1,
      appId: 'my-app',
      systemPrompt: 'Sort the list.',
      toolChoice: 'auto',
      config: { model: 'm', inference_url: mock.openaiBaseURL },
    });
    assert.equal((crafter as { name: string }).name, 'crafter-react');
    assert.equal((other as { name: string }).name, 'llm');
  });

  it('rejects a bad policy config with every problem named', () => {
    assert.throws(
      () =>
        createLlmPolicy({
          seed: 0,
          appId: 'crafter',
          config: { model: 'gpt-4o-mini', temperature: 'hot', history_length: -1 },
        }),
      (e: unknown) =>
        e instanceof ConfigError && e.problems.length === 2 && /policy\.config\.temperature/.test(e.message),
    );
  });

  it('sends the observation image to vision models when asked', async () => {
    mock.enqueue(mockReply.toolCall('interact_many', { actions: ['noop'] }));
    const ctx = await crafterContext();
    ctx.observation = { ...ctx.observation, image: 'data:image/png;base64,iVBORw0KGgo=' };
    await createCrafterLlmPolicy({ model: modelOptions(), includeImage: true }).decide(ctx);
    const user = (mock.requests[0]!.body!.messages as ChatMessage[])[1]!;
    assert.ok(Array.isArray(user.content));
    assert.deepEqual(
      (user.content as { type: string }[]).map((p) => p.type),
      ['text', 'image_url'],
    );
  });
});

describe('parseLlmPolicyConfig', () => {
  it('parses a config once and shares the frozen result with every equal config', () => {
    const config = { model: 'gpt-4o-mini', temperature: 0.3, max_tokens: 64, tool_choice: 'classify' };
    const first = parseLlmPolicyConfig(config);
    assert.deepEqual(first.request, { temperature: 0.3, maxTokens: 64 });
    assert.deepEqual(first.toolChoice, { name: 'classify' });
    // A new object with the same content: the same result, which no caller can change.
    assert.equal(parseLlmPolicyConfig({ ...config }), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.model) && Object.isFrozen(first.request));
    assert.ok(Object.isFrozen(first.toolChoice));
    // Another config is parsed on its own.
    const other = parseLlmPolicyConfig({ ...config, temperature: 0.9 });
    assert.equal(other.request.temperature, 0.9);
    assert.equal(first.request.temperature, 0.3);
  });

  it('throws for a bad config every time, never caching it', () => {
    const bad = { model: 'gpt-4o-mini', temperature: 5 };
    for (let i = 0; i < 2; i++) assert.throws(() => parseLlmPolicyConfig(bad), /policy\.config\.temperature/);
    // NaN serializes as null, like no valid value: it cannot hit a cached valid config.
    parseLlmPolicyConfig({ model: 'gpt-4o-mini', temperature: 0 });
    assert.throws(() => parseLlmPolicyConfig({ model: 'gpt-4o-mini', temperature: Number.NaN }), ConfigError);
  });
});
