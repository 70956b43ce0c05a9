import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { banking77App } from '../../src/apps/banking77/app.ts';
import { builtinSplit } from '../../src/apps/banking77/dataset.ts';
import { createInterceptor } from '../../src/inference/interceptor.ts';
import { createTaskAppClient } from '../../src/task-app/client.ts';
import { type RunningTaskAppServer, startTaskAppServer } from '../../src/task-app/start-server.ts';
import type { SessionTrace } from '../../src/tracing/types.ts';

/** A local server speaking OpenAI's chat completions format; it always classifies as `card_arrival`. */
function fakeOpenAi(bodies: unknown[]): Server {
  return createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      bodies.push(JSON.parse(raw));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'fake-model',
          choices: [
            {
              index: 0,
              finish_reason: 'tool_calls',
              message: {
                role: 'assistant',
                content: null,
                tool_calls: [
                  {
                    id: 'call_1',
                    type: 'function',
                    function: { name: 'banking77_classify', arguments: '{"intent":"card_arrival"}' },
                  },
                ],
              },
            },
          ],
          usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 },
        }),
      );
    });
  });
}

describe('LLM policy through the task app server (default createLlmPolicy)', () => {
  const bodies: unknown[] = [];
  let llm: Server;
  let llmUrl: string;
  let server: RunningTaskAppServer;
  before(async () => {
    llm = fakeOpenAi(bodies);
    await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
    llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
    server = await startTaskAppServer(banking77App, {
      port: 0,
      apiKeys: ['k'],
      tracing: false,
      log: () => {},
    });
  });
  after(async () => {
    await server.close();
    await new Promise<void>((resolve) => llm.close(() => resolve()));
  });

  it('classifies with the model, records the LM call as a cais event, and rewards the match', async () => {
    const client = createTaskAppClient({ baseUrl: server.url, apiKey: 'k', retries: 0 });
    const test = builtinSplit('test');
    const index = test.findIndex((e) => e.label === 'card_arrival');
    const body = await client.rollout({
      run_id: 'llm-1',
      env: { seed: index, config: { split: 'test' } },
      policy: { policy_name: 'banking77-llm', config: { model: 'fake-model', inference_url: llmUrl } },
      record: { return_trace: true, trace_format: 'full' },
    });
    assert.equal(body.metrics.mean_return, 1);
    assert.equal(body.metrics.outcome_score, 1);
    const sent = bodies.at(-1) as {
      model: string;
      messages: Array<{ role: string; content: unknown }>;
      tools: unknown[];
    };
    assert.equal(sent.model, 'fake-model');
    assert.ok(JSON.stringify(sent.messages).includes(test[index]!.text));
    assert.equal(sent.tools.length, 1);
    const trace = body.trace as unknown as SessionTrace;
    const cais = trace.event_history.filter((e) => e.event_type === 'cais');
    assert.equal(cais.length, 1);
    assert.ok(cais[0]!.event_type === 'cais');
    assert.equal(cais[0]!.input_tokens, 120);
    assert.equal(cais[0]!.call_records[0]!.model_name, 'fake-model');
    assert.equal(trace.metadata.model, 'fake-model');
    const types = new Set(trace.markov_blanket_message_history.map((m) => m.message_type));
    for (const type of types) assert.ok(['system', 'user', 'assistant', 'tool_result'].includes(type));
  });

  it('an unreachable model is a 502 policy error, and the server keeps serving', async () => {
    const client = createTaskAppClient({ baseUrl: server.url, apiKey: 'k', retries: 0 });
    await assert.rejects(
      client.rollout({
        run_id: 'llm-2',
        env: { seed: 0 },
        policy: { config: { model: 'fake-model', inference_url: 'http://127.0.0.1:9/v1', max_retries: 0 } },
      }),
      /502|policy/,
    );
    assert.equal((await client.health()).healthy, true);
  });
});

describe('LLM interceptor mounted at /proxy', () => {
  const bodies: unknown[] = [];
  let llm: Server;
  let server: RunningTaskAppServer;
  const calls: Array<[string, string | null]> = [];
  before(async () => {
    llm = fakeOpenAi(bodies);
    await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
    const upstream = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
    const proxy = createInterceptor({
      upstream: { inference_url: upstream },
      onCall: (record, correlationId) => void calls.push([record.model_name, correlationId]),
    });
    server = await startTaskAppServer(banking77App, { port: 0, apiKeys: ['k'], proxy, log: () => {} });
  });
  after(async () => {
    await server.close();
    await new Promise<void>((resolve) => llm.close(() => resolve()));
  });

  it('forwards chat completions behind the task app key', async () => {
    const body = JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] });
    const denied = await fetch(`${server.url}/proxy/v1/chat/completions`, { method: 'POST', body });
    assert.equal(denied.status, 401);
    const response = await fetch(`${server.url}/proxy/v1/chat/completions`, {
      method: 'POST',
      body,
      headers: { 'x-api-key': 'k', 'content-type': 'application/json', 'x-run-id': 'run-9' },
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { choices: Array<{ message: { tool_calls: unknown[] } }> };
    assert.equal(answer.choices[0]!.message.tool_calls.length, 1);
    assert.deepEqual(calls.at(-1), ['fake-model', 'run-9']);
  });
});
