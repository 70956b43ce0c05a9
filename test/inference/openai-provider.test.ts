import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createChatModel, DEFAULT_PRICES } from '../../src/inference/index.ts';
import { type MockProvider, mockReply, startMockProvider } from '../../src/testing/index.ts';
import type { ToolDefinition } from '../../src/tracing/types.ts';

const KEY = 'sk-test-openai-0123456789abcdef';
const TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: 'interact_many',
    description: 'act',
    parameters: {
      type: 'object',
      properties: { actions: { type: 'array', items: { type: 'string' } } },
      required: ['actions'],
    },
  },
};

describe('OpenAI chat-completions provider against the mock server', () => {
  let mock: MockProvider;
  before(async () => {
    mock = await startMockProvider({ apiKey: KEY });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  const model = (name = 'gpt-4o-mini') =>
    createChatModel({
      provider: 'openai',
      model: name,
      baseURL: mock.openaiBaseURL,
      apiKey: KEY,
      maxRetries: 0,
    });

  it('sends a forced tool call request and normalises the tool call, usage and cost', async () => {
    mock.enqueue(
      mockReply.toolCall(
        'interact_many',
        { actions: ['move_left', 'do'] },
        { usage: { prompt: 1000, completion: 200, cached: 400 } },
      ),
    );
    const result = await model().complete({
      messages: [
        { role: 'system', content: 'You play Crafter.' },
        { role: 'user', content: 'state' },
      ],
      tools: [TOOL],
      toolChoice: { name: 'interact_many' },
      parallelToolCalls: false,
      temperature: 0.2,
      maxTokens: 512,
    });
    const sent = mock.requests[0]?.body;
    assert.deepEqual(sent?.tool_choice, { type: 'function', function: { name: 'interact_many' } });
    assert.equal(sent?.parallel_tool_calls, false);
    assert.equal(sent?.max_tokens, 512);
    assert.equal(sent?.temperature, 0.2);
    assert.deepEqual(sent?.tools, [TOOL]);
    assert.equal(mock.requests[0]?.headers.authorization, `Bearer ${KEY}`);

    assert.equal(result.finishReason, 'tool-calls');
    assert.equal(result.toolCalls.length, 1);
    assert.equal(result.toolCalls[0]?.function.name, 'interact_many');
    assert.deepEqual(JSON.parse(result.toolCalls[0]?.function.arguments ?? ''), {
      actions: ['move_left', 'do'],
    });
    assert.ok(result.toolCalls[0]?.id);
    assert.equal(result.usage.prompt_tokens, 1000);
    assert.equal(result.usage.input_tokens, 1000);
    assert.equal(result.usage.completion_tokens, 200);
    assert.equal(result.usage.output_tokens, 200);
    assert.equal(result.usage.total_tokens, 1200);
    assert.equal(result.usage.cached_tokens, 400);
    const p = DEFAULT_PRICES['gpt-4o-mini']!;
    const expected = (600 * p.input + 400 * (p.cachedInput ?? 0) + 200 * p.output) / 1e6;
    assert.ok(Math.abs((result.costUsd ?? 0) - expected) < 1e-12);
    assert.equal(result.usage.cost_usd, result.costUsd);

    const record = result.record;
    assert.equal(record.provider, 'openai');
    assert.equal(record.model_name, 'gpt-4o-mini');
    assert.equal(record.api_type, 'chat_completions');
    assert.equal(record.input_messages.length, 2);
    assert.equal(record.output_tool_calls[0]?.name, 'interact_many');
    assert.equal(record.output_tool_calls[0]?.call_id, result.toolCalls[0]?.id);
    assert.equal(record.finish_reason, 'tool-calls');
    assert.equal(record.request_params.temperature, 0.2);
    assert.equal(record.error, null);
    assert.ok(record.latency_ms >= 0);
  });

  it('asks for JSON-schema structured output and parses the answer', async () => {
    mock.enqueue(mockReply.text('{"score":0.8,"reason":"good"}'));
    const schema = {
      type: 'object',
      properties: { score: { type: 'number' }, reason: { type: 'string' } },
      required: ['score'],
    };
    const result = await model().complete({
      messages: [{ role: 'user', content: 'grade' }],
      responseFormat: { type: 'json_schema', name: 'verdict', schema, strict: true },
    });
    assert.deepEqual(mock.requests[0]?.body?.response_format, {
      type: 'json_schema',
      json_schema: { name: 'verdict', schema, strict: true },
    });
    assert.deepEqual(result.parsed, { score: 0.8, reason: 'good' });
    assert.equal(result.finishReason, 'stop');
  });

  it('passes image parts through unchanged', async () => {
    const image = 'data:image/png;base64,iVBORw0KGgo=';
    await model('gpt-4o').complete({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: image, detail: 'low' } },
          ],
        },
      ],
    });
    const msg = (mock.requests[0]?.body?.messages as { content: unknown }[] | undefined)?.[0];
    assert.deepEqual(msg?.content, [
      { type: 'text', text: 'what is this' },
      { type: 'image_url', image_url: { url: image, detail: 'low' } },
    ]);
  });

  it('sends max_completion_tokens and reasoning effort to reasoning models and counts reasoning tokens', async () => {
    mock.enqueue(mockReply.text('done', { prompt: 50, completion: 300, reasoning: 256 }));
    const result = await model('gpt-5-mini').complete({
      messages: [{ role: 'user', content: 'think' }],
      maxTokens: 1024,
      temperature: 0.3,
      reasoningEffort: 'low',
    });
    const body = mock.requests[0]?.body ?? {};
    assert.equal(body.max_completion_tokens, 1024);
    assert.equal('max_tokens' in body, false);
    assert.equal('temperature' in body, false);
    assert.equal(body.reasoning_effort, 'low');
    assert.equal(result.usage.reasoning_tokens, 256);
    assert.match(result.warnings.join('\n'), /temperature 0.3 dropped/);
  });

  it('leaves the cost null for a model that is not priced, and uses user prices when given', async () => {
    const unpriced = await createChatModel({
      provider: 'vllm',
      model: 'Qwen/Qwen3-4B',
      baseURL: mock.openaiBaseURL,
      apiKey: KEY,
    }).complete({ messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(unpriced.costUsd, null);
    assert.equal(unpriced.record.metadata.unpriced_model, true);
    mock.enqueue(mockReply.text('x', { prompt: 1_000_000, completion: 1_000_000 }));
    const priced = await createChatModel({
      provider: 'vllm',
      model: 'Qwen/Qwen3-4B',
      baseURL: mock.openaiBaseURL,
      apiKey: KEY,
      prices: { 'Qwen/Qwen3-4B': { input: 0.1, output: 0.3 } },
    }).complete({ messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(Math.abs((priced.costUsd ?? 0) - 0.4) < 1e-9);
  });
});
