/**
 * The interceptor: an OpenAI-compatible `POST /v1/chat/completions` that forwards each call to the real
 * provider through the ChatModel layer and reports its record with the rollout's correlation id, so a
 * task app gets trace capture, token and cost accounting without code changes. Task apps mount it with
 * `app.route('/proxy', createInterceptor(...))`. It does not touch the trace store: the task-app
 * developer wires `onCall` to the tracer.
 * @module
 */
import { type Context, Hono } from 'hono';
import { SynthError, UsageError } from '../errors.ts';
import type { LLMCallRecord } from '../tracing/types.ts';
import { type ChatModelOptions, createChatModel } from './chat-model.ts';
import { InferenceError } from './errors.ts';
import { chatRequestFromOpenAIBody, openAICompletionFromResult } from './openai-wire.ts';
import type { ChatModel } from './types.ts';

/** Headers read for the correlation id, in order. */
export const CORRELATION_HEADERS = ['x-run-id', 'x-trace-correlation-id', 'x-correlation-id'] as const;

/** Options of `createInterceptor`. */
export interface InterceptorOptions {
  /**
   * Where calls go: ChatModel options (the body's `model` is used unless `model` is set here), or a
   * function that returns the model for a body's `model` name.
   */
  upstream:
    | (Omit<ChatModelOptions, 'model' | 'onCall'> & { model?: string })
    | ((model: string) => ChatModel);
  /** Called once per forwarded call (failed ones too) with its record and correlation id (null if none). */
  onCall?: (record: LLMCallRecord, correlationId: string | null) => void | Promise<void>;
  /** Reports a failure of `onCall` (the client still gets its answer). @default console.warn of the message */
  onCallError?: (error: unknown) => void;
  /** Refuse calls without a correlation id (400). @default false */
  requireCorrelationId?: boolean;
}

function statusFor(error: unknown): 400 | 502 | 503 | 504 {
  if (error instanceof InferenceError) {
    if (error.kind === 'bad-request') return 400;
    if (error.kind === 'timeout') return 504;
    return 502;
  }
  return SynthError.isInstance(error) && error instanceof UsageError ? 503 : 502;
}

function errorJson(message: string, type: string, code: string | null = null) {
  return { error: { message, type, code } };
}

/**
 * Builds the interceptor app. Correlation id: `X-Run-Id`, `X-Trace-Correlation-Id` or
 * `X-Correlation-Id`, else the path segment of `/:correlationId/v1/chat/completions`, else `?run_id=`.
 * @example
 * const proxy = createInterceptor({ upstream: { provider: 'groq' }, onCall: (r, id) => tracer.recordCall(id, r) });
 * taskApp.route('/proxy', proxy); // POST /proxy/v1/chat/completions
 */
export function createInterceptor(options: InterceptorOptions): Hono {
  const models = new Map<string, ChatModel>();
  const upstream = options.upstream;
  const modelFor = (name: string): ChatModel => {
    let model = models.get(name);
    if (!model) {
      model =
        typeof upstream === 'function'
          ? upstream(name)
          : createChatModel({ ...upstream, model: upstream.model ?? name });
      models.set(name, model);
    }
    return model;
  };
  const reportFailure =
    options.onCallError ?? ((e: unknown) => console.warn(`interceptor onCall failed: ${String(e)}`));

  async function handle(c: Context, pathId: string | undefined) {
    let correlationId: string | null = null;
    for (const h of CORRELATION_HEADERS) correlationId ??= c.req.header(h) || null;
    correlationId ??= pathId ?? c.req.query('run_id') ?? null;
    if (options.requireCorrelationId && !correlationId) {
      return c.json(errorJson('no correlation id', 'invalid_request_error', 'missing_correlation_id'), 400);
    }
    let parsed: ReturnType<typeof chatRequestFromOpenAIBody>;
    try {
      parsed = chatRequestFromOpenAIBody(await c.req.json().catch(() => undefined));
    } catch (e) {
      return c.json(errorJson(e instanceof Error ? e.message : String(e), 'invalid_request_error'), 400);
    }
    const name = parsed.model ?? (typeof upstream === 'function' ? undefined : upstream.model);
    if (!name) return c.json(errorJson('model is required', 'invalid_request_error'), 400);
    const request = {
      ...parsed.request,
      signal: c.req.raw.signal,
      metadata: { correlation_id: correlationId },
    };
    const report = async (record: LLMCallRecord | undefined) => {
      if (!record || !options.onCall) return;
      try {
        await options.onCall(record, correlationId);
      } catch (e) {
        reportFailure(e);
      }
    };
    try {
      const result = await modelFor(name).complete(request);
      await report(result.record);
      return c.json(openAICompletionFromResult(result, name));
    } catch (e) {
      if (e instanceof InferenceError) await report(e.record);
      const message = SynthError.isInstance(e) ? e.oneLine() : String(e);
      const type =
        e instanceof InferenceError ? `upstream_${e.kind.replace(/-/g, '_')}` : 'upstream_unavailable';
      return c.json(errorJson(message, type), statusFor(e));
    }
  }

  const app = new Hono();
  app.post('/v1/chat/completions', (c) => handle(c, undefined));
  app.post('/:correlationId/v1/chat/completions', (c) => handle(c, c.req.param('correlationId')));
  return app;
}
