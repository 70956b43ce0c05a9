import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  type ChatModelOptions,
  createChatModel,
  createRateLimiter,
  InferenceError,
  ProviderAuthError,
  ProviderResponseError,
  ProviderTimeoutError,
  RetriesExhaustedError,
} from '../../src/inference/index.ts';
import { type MockProvider, mockReply, startMockProvider } from '../../src/testing/index.ts';
import type { LLMCallRecord } from '../../src/tracing/types.ts';

const KEY = 'sk-test-reliability-0123456789abcdef';
const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('retries, timeouts, errors and limits against the mock server', () => {
  let mock: MockProvider;
  before(async () => {
    mock = await startMockProvider();
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset();
    mock.setHandler(undefined);
  });

  const model = (extra: Partial<ChatModelOptions> = {}) =>
    createChatModel({
      provider: 'openai',
      model: 'gpt-4o-mini',
      baseURL: mock.openaiBaseURL,
      apiKey: KEY,
      baseDelayMs: 5,
      ...extra,
    });

  it('honours retry-after on a 429, then succeeds', async () => {
    mock.enqueue(mockReply.rateLimited(1), mockReply.text('after wait'));
    const delays: number[] = [];
    const result = await model({ onRetry: (r) => delays.push(r.delayMs) }).complete(ask);
    assert.equal(result.text, 'after wait');
    assert.equal(result.attempts, 2);
    assert.deepEqual(delays, [1000]);
    assert.equal(mock.requests.length, 2);
    // A lower bound cannot flake: the second request cannot arrive before the asked-for second passed.
    assert.ok(mock.requests[1]!.receivedAt - mock.requests[0]!.receivedAt >= 990);
    assert.equal(result.record.metadata.attempts, 2);
  });

  it('retries 500s and connection resets with backoff', async () => {
    mock.enqueue(
      mockReply.serverError(500),
      mockReply.reset(),
      mockReply.serverError(503),
      mockReply.text('ok'),
    );
    const seen: string[] = [];
    const result = await model({ onRetry: (r) => seen.push(r.error.kind) }).complete(ask);
    assert.equal(result.text, 'ok');
    assert.equal(result.attempts, 4);
    assert.deepEqual(seen, ['server', 'connection', 'server']);
  });

  it('gives up after max retries with every attempt error', async () => {
    mock.setHandler(() => mockReply.serverError(502));
    const records: LLMCallRecord[] = [];
    const err = await model({ maxRetries: 2, onCall: (r) => records.push(r) })
      .complete(ask)
      .catch((e) => e);
    assert.ok(err instanceof RetriesExhaustedError);
    assert.equal(err.errors.length, 3);
    assert.ok(err.errors.every((e) => e.status === 502));
    assert.equal(mock.requests.length, 3);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.error?.type, 'retries-exhausted');
    assert.equal(err.record?.call_id, records[0]?.call_id);
  });

  it('times out an answer slower than the timeout', async () => {
    mock.enqueue(mockReply.slow(2000));
    const err = await model({ timeoutMs: 150, maxRetries: 0 })
      .complete(ask)
      .catch((e) => e);
    assert.ok(err instanceof ProviderTimeoutError, String(err));
    assert.match(err.message, /timed out/);
    // The same through a caller's own fetch.
    mock.enqueue(mockReply.slow(2000));
    const viaFetch = await model({ timeoutMs: 150, maxRetries: 0, fetch: globalThis.fetch })
      .complete(ask)
      .catch((e) => e);
    assert.ok(viaFetch instanceof ProviderTimeoutError, String(viaFetch));
  });

  it('reports truncated and malformed bodies clearly, without retrying', async () => {
    mock.enqueue(mockReply.truncated());
    const truncated = await model()
      .complete(ask)
      .catch((e) => e);
    assert.ok(truncated instanceof ProviderResponseError);
    assert.match(truncated.message, /not valid JSON/);
    assert.equal(mock.requests.length, 1);
    mock.enqueue({ type: 'raw', body: '{"unexpected":true}' });
    const wrongShape = await model()
      .complete(ask)
      .catch((e) => e);
    assert.ok(wrongShape instanceof ProviderResponseError);
    assert.match(wrongShape.message, /no choices\[0\]\.message/);
    mock.enqueue({ type: 'raw', body: 'plain text', contentType: 'text/plain' });
    const text = await model()
      .complete(ask)
      .catch((e) => e);
    assert.ok(text instanceof ProviderResponseError);
    assert.equal(mock.requests.length, 3);
  });

  it('does not retry a bad key and never leaks the key', async () => {
    // A hostile server echoes the key it received in its error message.
    mock.setHandler((req) => ({
      type: 'error',
      status: 401,
      message: `bad key ${req.headers.authorization}`,
    }));
    const records: LLMCallRecord[] = [];
    const err = await model({ onCall: (r) => records.push(r) })
      .complete(ask)
      .catch((e) => e);
    assert.ok(err instanceof ProviderAuthError);
    assert.equal(mock.requests.length, 1);
    assert.match(err.hint ?? '', /OPENAI_API_KEY/);
    const everything = [
      err.message,
      err.oneLine(),
      JSON.stringify(err),
      JSON.stringify(records),
      String(err.stack),
    ].join('\n');
    assert.equal(everything.includes(KEY), false);
    assert.match(err.message, /\[redacted\]/);
  });

  it('does not retry a bad request', async () => {
    mock.enqueue({ type: 'error', status: 400, message: 'unknown parameter' });
    const err = await model()
      .complete(ask)
      .catch((e) => e);
    assert.ok(err instanceof InferenceError);
    assert.equal(err.kind, 'bad-request');
    assert.match(err.message, /unknown parameter/);
    assert.equal(mock.requests.length, 1);
  });

  it('keeps under a server-enforced request rate with the client rpm limit', async () => {
    // 600 rpm = 5 per 500 ms: the server enforces it on a 500 ms window for a quick test.
    const limitedMock = await startMockProvider({ requestsPerMinute: 5, rateLimitWindowMs: 500 });
    try {
      const mk = (rpm?: number) =>
        createChatModel({
          provider: 'openai',
          model: 'gpt-4o-mini',
          baseURL: limitedMock.openaiBaseURL,
          apiKey: KEY,
          maxRetries: 0,
          // The default 2% margin is 1.2 s over a real minute; on this 500 ms window it would be 10 ms,
          // less than a fresh connection's setup, so the test uses a margin of the same absolute size.
          limiter: createRateLimiter({ requestsPerMinute: rpm, concurrency: 8, safetyMargin: 0.1 }),
        });
      // Control: without the limiter a burst of 12 is refused in part, so the check below can fail.
      const burstModel = mk();
      const burst = await Promise.allSettled(Array.from({ length: 12 }, () => burstModel.complete(ask)));
      assert.ok(limitedMock.rateLimited > 0);
      assert.ok(burst.some((r) => r.status === 'rejected'));
      await new Promise((r) => setTimeout(r, 600));
      limitedMock.reset();
      const pacedModel = mk(600);
      const paced = await Promise.allSettled(Array.from({ length: 12 }, () => pacedModel.complete(ask)));
      assert.equal(limitedMock.rateLimited, 0);
      assert.ok(paced.every((r) => r.status === 'fulfilled'));
    } finally {
      await limitedMock.close();
    }
  });

  it('caps requests in flight with the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    mock.setHandler(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return mockReply.text('ok');
    });
    const m = model({ limiter: createRateLimiter({ concurrency: 3 }) });
    await Promise.all(Array.from({ length: 10 }, () => m.complete(ask)));
    assert.equal(peak, 3);
  });

  it('does not retry after the caller aborts', async () => {
    mock.setHandler(() => mockReply.serverError(500));
    const controller = new AbortController();
    const m = model({ baseDelayMs: 5000, onRetry: () => controller.abort() });
    const err = await m.complete({ ...ask, signal: controller.signal }).catch((e) => e);
    assert.ok(err instanceof Error);
    assert.equal(mock.requests.length, 1);
  });
});

describe('the mock server without its request log', () => {
  it('answers through its handler and keeps no request', async () => {
    const seen: string[] = [];
    const mock = await startMockProvider({
      logRequests: false,
      handler: (request) => {
        seen.push(String(request.body?.model));
        return mockReply.text('logged nowhere');
      },
    });
    try {
      const model = createChatModel({
        provider: 'openai',
        model: 'm-1',
        baseURL: mock.openaiBaseURL,
        apiKey: KEY,
      });
      const answer = await model.complete(ask);
      assert.equal(answer.text, 'logged nowhere');
      assert.deepEqual(seen, ['m-1']);
      assert.equal(mock.requests.length, 0);
    } finally {
      await mock.close();
    }
  });
});
