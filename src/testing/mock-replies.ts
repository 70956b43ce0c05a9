/**
 * What the mock provider answers: a scripted chat answer (rendered in the wire format of the endpoint
 * that was called) or a fault. Builders keep test scripts short.
 * @module
 */

/** A tool call the mock model makes; `arguments` may be an object or a raw (even invalid) JSON string. */
export interface MockToolCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

/** Token counts the mock reports; missing ones are estimated from the text (~4 chars per token). */
export interface MockUsage {
  prompt?: number;
  completion?: number;
  reasoning?: number;
  cached?: number;
}

/** A normal answer. `finishReason` is in the called endpoint's own terms when given. */
export interface MockMessageReply {
  type: 'message';
  content?: string | null;
  toolCalls?: MockToolCall[];
  usage?: MockUsage;
  finishReason?: string;
  /** Extra wait before answering, on top of the server's latency. */
  delayMs?: number;
}

/** An HTTP error in the endpoint's error format (OpenAI `{error:{...}}`, Anthropic `{type:'error',...}`). */
export interface MockErrorReply {
  type: 'error';
  status: number;
  message?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** A raw HTTP answer, sent byte for byte: for truncated or malformed bodies. */
export interface MockRawReply {
  type: 'raw';
  status?: number;
  body: string;
  contentType?: string;
  delayMs?: number;
}

/** The connection is destroyed without an answer (a reset). */
export interface MockResetReply {
  type: 'reset';
  delayMs?: number;
}

export type MockReply = MockMessageReply | MockErrorReply | MockRawReply | MockResetReply;

/** Reply builders. */
export const mockReply = {
  text: (content: string, usage?: MockUsage): MockMessageReply => ({ type: 'message', content, usage }),
  toolCall: (
    name: string,
    args: string | Record<string, unknown>,
    extra: Partial<MockMessageReply> = {},
  ): MockMessageReply => ({
    type: 'message',
    content: null,
    toolCalls: [{ name, arguments: args }],
    ...extra,
  }),
  /** 429 with `retry-after` in seconds (omit for none). */
  rateLimited: (retryAfterSeconds?: number): MockErrorReply => ({
    type: 'error',
    status: 429,
    message: 'Rate limit reached',
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  }),
  serverError: (status = 500): MockErrorReply => ({
    type: 'error',
    status,
    message: 'The server had an error',
  }),
  /** An answer that takes `delayMs` (use more than the client's timeout). */
  slow: (delayMs: number, reply: MockReply = { type: 'message', content: 'late' }): MockReply => ({
    ...reply,
    delayMs,
  }),
  /** A valid JSON answer cut in half. */
  truncated: (): MockRawReply => ({
    type: 'raw',
    body: '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"mess',
  }),
  /** A 200 with a body that is not JSON. */
  malformed: (): MockRawReply => ({
    type: 'raw',
    body: '<html>upstream error</html>',
    contentType: 'application/json',
  }),
  reset: (): MockResetReply => ({ type: 'reset' }),
};
