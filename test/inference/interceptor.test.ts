import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import OpenAI from 'openai';
import { createInterceptor } from '../../src/inference/index.ts';
import { type MockProvider, mockReply, startMockProvider } from '../../src/testing/index.ts';
import type { LLMCallRecord } from '../../src/tracing/types.ts';

const KEY = 'sk-test-upstream-0123456789abcdef';

describe('interceptor: OpenAI-compatible proxy that records each call', () => {
  let mock: MockProvider;
  let server: ReturnType<typeof serve>;
  let base: string;
  const calls: { record: LLMCallRecord; id: string | null }[] = [];

  before(async () => {
    mock = await startMockProvider({ apiKey: KEY });
    const taskApp = new Hono();
    taskApp.route(
      '/proxy',
      createInterceptor({
        upstream: {
          provider: 'openai',
          baseURL: mock.openaiBaseURL,
          apiKey: KEY,
          baseDelayMs: 5,
          maxRetries: 2,
        },
        onCall: (record, id) => {
          calls.push({ record, id });
        },
      }),
    );
    server = serve({ fetch: taskApp.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await mock.close();
  });
  beforeEach(() => {
    mock.reset();
    calls.length = 0;
  });

  it('forwards a tool call request, answers in OpenAI form and reports the record with the run id', async () => {
    mock.enqueue(
      mockReply.toolCall('interact_many', { actions: ['do'] }, { usage: { prompt: 100, completion: 10 } }),
    );
    const client = new OpenAI({ baseURL: `${base}/proxy/v1`, apiKey: 'task-app-key', maxRetries: 0 });
    const tools = [
      { type: 'function' as const, function: { name: 'interact_many', parameters: { type: 'object' } } },
    ];
    const answer = await client.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'go' }],
        tools,
        tool_choice: 'required',
        parallel_tool_calls: false,
        temperature: 0.2,
      },
      { headers: { 'X-Run-Id': 'run-42' } },
    );
    const upstream = mock.requests[0];
    assert.equal(upstream?.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(upstream?.body?.tools, tools);
    assert.equal(upstream?.body?.tool_choice, 'required');
    assert.equal(upstream?.body?.parallel_tool_calls, false);
    assert.equal(answer.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(answer.choices[0]?.message.tool_calls?.[0]?.type, 'function');
    assert.equal(answer.usage?.prompt_tokens, 100);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.id, 'run-42');
    assert.equal(calls[0]?.record.metadata.correlation_id, 'run-42');
    assert.equal(calls[0]?.record.output_tool_calls[0]?.name, 'interact_many');
    assert.ok((calls[0]?.record.usage?.cost_usd ?? 0) > 0);
  });

  it('takes the correlation id from the path, and retries upstream 500s', async () => {
    mock.enqueue(mockReply.serverError(), mockReply.text('fine'));
    const res = await fetch(`${base}/proxy/trace-7/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0]?.message.content, 'fine');
    assert.equal(mock.requests.length, 2);
    assert.equal(calls[0]?.id, 'trace-7');
    assert.equal(calls[0]?.record.metadata.attempts, 2);
  });

  it('answers bad bodies with 400 and upstream auth failures with 502, recording the failed call', async () => {
    const bad = await fetch(`${base}/proxy/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: 'hello' }),
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /messages must be/);
    assert.equal(mock.requests.length, 0);

    mock.enqueue({ type: 'error', status: 401, message: 'Incorrect API key' });
    const denied = await fetch(`${base}/proxy/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace-correlation-id': 'c-1' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(denied.status, 502);
    const err = (await denied.json()) as { error: { type: string; message: string } };
    assert.equal(err.error.type, 'upstream_auth');
    assert.equal(err.error.message.includes(KEY), false);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.id, 'c-1');
    assert.equal(calls[0]?.record.error?.type, 'auth');
  });

  it('answers 503 naming the variable when the upstream key is missing', async () => {
    const app = createInterceptor({ upstream: { provider: 'groq', env: {} } });
    const res = await app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(res.status, 503);
    assert.match(
      ((await res.json()) as { error: { message: string } }).error.message,
      /GROQ_API_KEY is not set/,
    );
  });
});
