/**
 * Renders mock replies in the documented wire formats: OpenAI chat completions and Anthropic messages.
 * @module
 */
import type { MockMessageReply, MockToolCall } from './mock-replies.ts';

/** The two wire formats the mock speaks. */
export type MockWireFormat = 'openai' | 'anthropic';

let counter = 0;
const nextId = (prefix: string) => `${prefix}${(++counter).toString(36).padStart(6, '0')}`;

function argsString(call: MockToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Token counts of a reply, estimated from the request body and answer when not scripted. */
export function mockUsage(reply: MockMessageReply, requestBody: unknown) {
  const promptText = JSON.stringify((requestBody as { messages?: unknown })?.messages ?? '');
  const answer = (reply.content ?? '') + (reply.toolCalls ?? []).map((c) => c.name + argsString(c)).join('');
  return {
    prompt: reply.usage?.prompt ?? estimate(promptText),
    completion: reply.usage?.completion ?? estimate(answer),
    reasoning: reply.usage?.reasoning ?? 0,
    cached: reply.usage?.cached ?? 0,
  };
}

/** A chat.completion object. */
export function mockOpenAIChatCompletion(reply: MockMessageReply, model: string, requestBody: unknown) {
  const u = mockUsage(reply, requestBody);
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? nextId('call_'),
    type: 'function',
    function: { name: call.name, arguments: argsString(call) },
  }));
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: reply.content ?? null,
    refusal: null,
  };
  if (toolCalls.length) message.tool_calls = toolCalls;
  return {
    id: nextId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
      },
    ],
    usage: {
      prompt_tokens: u.prompt,
      completion_tokens: u.completion,
      total_tokens: u.prompt + u.completion,
      prompt_tokens_details: { cached_tokens: u.cached },
      completion_tokens_details: { reasoning_tokens: u.reasoning },
    },
  };
}

/** A messages API `message` object. Cached tokens are reported as cache reads, outside `input_tokens`. */
export function mockAnthropicMessage(reply: MockMessageReply, model: string, requestBody: unknown) {
  const u = mockUsage(reply, requestBody);
  const content: Record<string, unknown>[] = [];
  if (reply.content) content.push({ type: 'text', text: reply.content });
  for (const call of reply.toolCalls ?? []) {
    let input: unknown;
    try {
      input = typeof call.arguments === 'string' ? JSON.parse(call.arguments) : call.arguments;
    } catch {
      input = {};
    }
    content.push({ type: 'tool_use', id: call.id ?? nextId('toolu_'), name: call.name, input });
  }
  return {
    id: nextId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: reply.finishReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: Math.max(0, u.prompt - u.cached),
      output_tokens: u.completion,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: u.cached,
      ...(u.reasoning ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {}),
    },
  };
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** An error body in the endpoint's format. */
export function mockErrorBody(format: MockWireFormat, status: number, message: string) {
  if (format === 'anthropic') {
    return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
  }
  const type =
    status === 429
      ? 'rate_limit_exceeded'
      : status === 401
        ? 'invalid_request_error'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error';
  return { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } };
}
