import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createChatModel, DEFAULT_PRICES } from '../../src/inference/index.ts';
import { type MockProvider, mockReply, startMockProvider } from '../../src/testing/index.ts';
import type { ChatMessage, ToolDefinition } from '../../src/tracing/types.ts';

const KEY = 'sk-ant-test-0123456789abcdef';
const TOOL: ToolDefinition = {
  type: 'function',
  function: {
    name: 'banking77_classify',
    description: 'classify',
    parameters: { type: 'object', properties: { intent: { type: 'string' } }, required: ['intent'] },
  },
};

describe('Anthropic messages provider against the mock server', () => {
  let mock: MockProvider;
  before(async () => {
    mock = await startMockProvider({ apiKey: KEY });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  const model = () =>
    createChatModel({
      model: 'anthropic:claude-haiku-4-5',
      baseURL: `${mock.url}/v1`,
      apiKey: KEY,
      maxRetries: 0,
    });

  it('converts system prompt, tools, tool calls, tool results and images to the messages format', async () => {
    const history: ChatMessage[] = [
      { role: 'system', content: 'You classify banking queries.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'card?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'toolu_1',
            type: 'function',
            function: { name: 'banking77_classify', arguments: '{"intent":"card_arrival"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'wrong label' },
      { role: 'user', content: 'try again' },
    ];
    mock.enqueue(
      mockReply.toolCall(
        'banking77_classify',
        { intent: 'lost_or_stolen_card' },
        { usage: { prompt: 900, completion: 40, cached: 500 } },
      ),
    );
    const result = await model().complete({
      messages: history,
      tools: [TOOL],
      toolChoice: { name: 'banking77_classify' },
      parallelToolCalls: false,
      maxTokens: 256,
      temperature: 0,
    });
    const req = mock.requests[0];
    assert.equal(req?.path, '/v1/messages');
    const body = req?.body ?? {};
    assert.equal(body.system, 'You classify banking queries.');
    assert.equal(body.max_tokens, 256);
    assert.equal(body.temperature, 0);
    assert.deepEqual(body.tools, [
      { name: 'banking77_classify', input_schema: TOOL.function.parameters, description: 'classify' },
    ]);
    assert.deepEqual(body.tool_choice, {
      type: 'tool',
      name: 'banking77_classify',
      disable_parallel_tool_use: true,
    });
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'card?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'banking77_classify', input: { intent: 'card_arrival' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'wrong label' },
          { type: 'text', text: 'try again' },
        ],
      },
    ]);

    assert.equal(result.finishReason, 'tool-calls');
    assert.equal(result.rawFinishReason, 'tool_use');
    assert.equal(result.toolCalls[0]?.function.name, 'banking77_classify');
    assert.deepEqual(JSON.parse(result.toolCalls[0]?.function.arguments ?? ''), {
      intent: 'lost_or_stolen_card',
    });
    assert.deepEqual(result.message.tool_calls, result.toolCalls);
    // The mock reports 400 fresh input tokens + 500 cache reads: prompt_tokens counts both.
    assert.equal(result.usage.prompt_tokens, 900);
    assert.equal(result.usage.cached_tokens, 500);
    assert.equal(result.usage.completion_tokens, 40);
    const p = DEFAULT_PRICES['claude-haiku-4-5']!;
    const expected = (400 * p.input + 500 * (p.cachedInput ?? 0) + 40 * p.output) / 1e6;
    assert.ok(Math.abs((result.costUsd ?? 0) - expected) < 1e-12);
    assert.equal(result.record.api_type, 'messages');
    assert.equal(result.record.provider, 'anthropic');
  });

  it('maps required tool choice, structured output and reasoning effort', async () => {
    mock.enqueue(mockReply.text('{"ok":true}'));
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    const result = await model().complete({
      messages: [{ role: 'user', content: 'x' }],
      tools: [TOOL],
      toolChoice: 'required',
      responseFormat: { type: 'json_schema', name: 'x', schema },
      reasoningEffort: 'medium',
      seed: 3,
    });
    const body = mock.requests[0]?.body ?? {};
    assert.deepEqual(body.tool_choice, { type: 'any' });
    assert.deepEqual(body.output_config, { format: { type: 'json_schema', schema }, effort: 'medium' });
    assert.equal(body.max_tokens, 4096);
    assert.equal('seed' in body, false);
    assert.deepEqual(result.parsed, { ok: true });
    assert.equal(result.finishReason, 'stop');
    assert.match(result.warnings.join('\n'), /seed ignored/);
  });
});
