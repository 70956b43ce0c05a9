/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions (`POST /v1/chat/completions`)
 * and Anthropic messages (`POST /v1/messages`) wire formats, for tests and benchmarks of anything that
 * calls an LLM. Scriptable (a queue of replies or a handler), with latency, fault injection, an optional
 * enforced requests-per-minute limit and a log of every request received.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockReply } from './mock-replies.ts';
import {
  type MockWireFormat,
  mockAnthropicMessage,
  mockErrorBody,
  mockOpenAIChatCompletion,
} from './mock-wire.ts';

/** One request as the mock received it. */
export interface MockRequest {
  format: MockWireFormat;
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed JSON body (undefined when it did not parse). */
  body: Record<string, unknown> | undefined;
  rawBody: string;
  /** `Date.now()` at arrival. */
  receivedAt: number;
  /** The status answered, or `reset` when the connection was destroyed. Set once answered. */
  status?: number | 'reset';
}

/** Options of the mock server. */
export interface MockProviderOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** Added before every answer. @default 0 */
  latencyMs?: number;
  /** When set, requests must carry this key (`Authorization: Bearer`, or `x-api-key` on `/v1/messages`); others get 401. */
  apiKey?: string;
  /** Enforced with 429s (sliding window, accepted requests only). */
  requestsPerMinute?: number;
  /** The window of `requestsPerMinute`, for quicker tests. @default 60000 */
  rateLimitWindowMs?: number;
  /** Answers requests when the queue is empty. */
  handler?: (request: MockRequest) => MockReply | Promise<MockReply>;
  /** Answer when neither the queue nor a handler gives one. @default a text reply "ok" */
  defaultReply?: MockReply;
  /**
   * Keep every request in `requests`. Off for long benchmark runs, where the log would hold every body
   * and the mock's garbage collector would take CPU from the code measured on the same machine.
   * @default true
   */
  logRequests?: boolean;
}

/** A running mock provider. */
export interface MockProvider {
  /** `http://127.0.0.1:PORT` (the Anthropic SDK's base URL). */
  readonly url: string;
  /** `http://127.0.0.1:PORT/v1` (the OpenAI SDK's base URL). */
  readonly openaiBaseURL: string;
  /** Every request received, oldest first (empty with `logRequests: false`). */
  readonly requests: MockRequest[];
  /** How many requests were refused with 429 by the enforced rate limit. */
  readonly rateLimited: number;
  /** Queues replies, used in order before the handler. */
  enqueue(...replies: MockReply[]): void;
  setHandler(handler: MockProviderOptions['handler']): void;
  /** Empties the queue and the log, and forgets the rate-limit window. */
  reset(): void;
  close(): Promise<void>;
}

function formatOf(path: string): MockWireFormat | undefined {
  if (path.endsWith('/chat/completions')) return 'openai';
  if (path.endsWith('/messages')) return 'anthropic';
  return undefined;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Starts a mock provider.
 * @example
 * const mock = await startMockProvider();
 * mock.enqueue(mockReply.rateLimited(1), mockReply.toolCall('interact_many', { actions: ['noop'] }));
 * const model = createChatModel({ provider: 'openai', model: 'gpt-4o-mini', baseURL: mock.openaiBaseURL, apiKey: 'k' });
 */
export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const queue: MockReply[] = [];
  const requests: MockRequest[] = [];
  let accepted: number[] = [];
  let handler = options.handler;
  let limited = 0;
  const windowMs = options.rateLimitWindowMs ?? 60_000;

  async function answer(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const format = formatOf(path);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const entry: MockRequest = {
      format: format ?? 'openai',
      method: req.method ?? '',
      path,
      headers,
      body,
      rawBody,
      receivedAt: Date.now(),
    };
    if (options.logRequests !== false) requests.push(entry);
    const reply = (status: number, payload: unknown, extra?: Record<string, string>) => {
      entry.status = status;
      sendJson(res, status, payload, extra);
    };
    if (req.method !== 'POST' || !format)
      return reply(404, mockErrorBody('openai', 404, `no route ${req.method} ${path}`));
    if (!body) return reply(400, mockErrorBody(format, 400, 'request body is not valid JSON'));
    if (options.apiKey !== undefined) {
      // Anthropic documents `x-api-key`; its SDK may send a bearer token instead. Either is accepted there.
      const bearer = headers.authorization?.replace(/^Bearer\s+/i, '');
      const ok =
        bearer === options.apiKey || (format === 'anthropic' && headers['x-api-key'] === options.apiKey);
      if (!ok) return reply(401, mockErrorBody(format, 401, 'Incorrect API key provided'));
    }
    if (options.requestsPerMinute) {
      const now = Date.now();
      accepted = accepted.filter((t) => t > now - windowMs);
      if (accepted.length >= options.requestsPerMinute) {
        limited++;
        const wait = Math.max(1, Math.ceil(((accepted[0] ?? now) + windowMs - now) / 1000));
        return reply(429, mockErrorBody(format, 429, 'Rate limit reached for requests'), {
          'retry-after': String(wait),
        });
      }
      accepted.push(now);
    }
    const next: MockReply = queue.shift() ??
      (handler ? await handler(entry) : undefined) ??
      options.defaultReply ?? { type: 'message', content: 'ok' };
    const delay = (options.latencyMs ?? 0) + (next.delayMs ?? 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;
    const model = String(body.model ?? 'mock-model');
    switch (next.type) {
      case 'message':
        return reply(
          200,
          format === 'anthropic'
            ? mockAnthropicMessage(next, model, body)
            : mockOpenAIChatCompletion(next, model, body),
        );
      case 'error':
        return reply(
          next.status,
          mockErrorBody(format, next.status, next.message ?? `error ${next.status}`),
          next.headers,
        );
      case 'raw':
        entry.status = next.status ?? 200;
        res.writeHead(entry.status, { 'content-type': next.contentType ?? 'application/json' });
        res.end(next.body);
        return;
      case 'reset':
        entry.status = 'reset';
        req.socket.destroy();
        return;
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answer(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, mockErrorBody('openai', 500, `mock handler failed: ${String(err)}`));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    requests,
    get rateLimited() {
      return limited;
    },
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    setHandler: (h) => {
      handler = h;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      accepted = [];
      limited = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
