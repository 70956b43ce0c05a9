import type { ZodType } from 'zod';
import type { ChatModel, ChatResult } from '../inference/types.ts';
import type { ChatMessage, JsonObject } from '../tracing/types.ts';

/** How the verdict comes back: a JSON-schema response format, a forced tool call, or a JSON object. */
export type StructuredMode = 'json_schema' | 'tool' | 'json_object';

/** Retry settings of one structured call. */
export interface StructuredCallOptions {
  mode: StructuredMode;
  /** Retries after the first attempt, for transient failures and invalid answers alike. @default 3 */
  maxRetries?: number;
  /** First backoff delay; doubles each retry (a server's retry-after ≤ 60 s wins). @default 250 */
  baseDelayMs?: number;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

/** The outcome of a structured call: the validated value, or why it failed; plus what it cost. */
export type StructuredOutcome<T> =
  | {
      ok: true;
      value: T;
      attempts: number;
      costUsd: number | null;
      inputTokens: number;
      outputTokens: number;
    }
  | {
      ok: false;
      reason: string;
      attempts: number;
      costUsd: number | null;
      inputTokens: number;
      outputTokens: number;
      aborted: boolean;
    };

const TOOL = 'submit_verdict';

function payloadOf(result: ChatResult, mode: StructuredMode): string {
  if (mode === 'tool') {
    const call = result.toolCalls.find((c) => c.function.name === TOOL) ?? result.toolCalls[0];
    if (!call) throw new Error(`no ${TOOL} tool call in the answer`);
    return call.function.arguments;
  }
  if (!result.text) throw new Error('empty answer');
  // Some OpenAI-compatible servers wrap JSON in a code fence despite the response format.
  return result.text.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, '');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Asks the model for a JSON answer following `jsonSchema` and validates it with `schema`. Transient
 * provider errors (429, 5xx, timeouts, cut-off bodies) and invalid answers are retried; errors the caller
 * must fix (401, 400) end at once. Never throws for provider trouble: the failure comes back with its reason.
 */
export async function structuredCall<T>(
  model: ChatModel,
  messages: ChatMessage[],
  jsonSchema: JsonObject,
  schema: ZodType<T>,
  options: StructuredCallOptions,
): Promise<StructuredOutcome<T>> {
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseDelayMs ?? 250;
  let cost: number | null = null;
  let inTok = 0;
  let outTok = 0;
  let lastReason = 'no attempt made';
  const msgs =
    options.mode === 'json_object'
      ? [
          ...messages,
          {
            role: 'user' as const,
            content: `Answer with one JSON object matching this JSON schema:\n${JSON.stringify(jsonSchema)}`,
          },
        ]
      : messages;
  // Every failure reports what was spent so far, so the spend cap and the report stay exact.
  const fail = (reason: string, attempts: number, aborted: boolean): StructuredOutcome<T> => ({
    ok: false,
    reason,
    attempts,
    costUsd: cost,
    inputTokens: inTok,
    outputTokens: outTok,
    aborted,
  });
  for (let attempt = 1; attempt <= maxRetries + 1; attempt += 1) {
    let delay = base * 2 ** (attempt - 1);
    try {
      const result = await model.complete({
        messages: msgs,
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        signal: options.signal,
        ...(options.mode === 'json_schema'
          ? {
              responseFormat: {
                type: 'json_schema' as const,
                name: 'verdict',
                schema: jsonSchema,
                strict: true,
              },
            }
          : options.mode === 'json_object'
            ? { responseFormat: { type: 'json_object' as const } }
            : {
                tools: [
                  {
                    type: 'function' as const,
                    function: { name: TOOL, description: 'Submit the verdict.', parameters: jsonSchema },
                  },
                ],
                toolChoice: { name: TOOL },
              }),
      });
      if (result.costUsd !== null) cost = (cost ?? 0) + result.costUsd;
      inTok += result.usage.prompt_tokens;
      outTok += result.usage.completion_tokens;
      let raw: unknown;
      try {
        raw = JSON.parse(payloadOf(result, options.mode));
      } catch (err) {
        throw Object.assign(new Error(`answer is not valid JSON (${(err as Error).message})`), {
          retryable: true,
          invalid: true,
        });
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`);
        throw Object.assign(new Error(`answer does not match the verdict schema (${issues.join('; ')})`), {
          retryable: true,
          invalid: true,
        });
      }
      return {
        ok: true,
        value: parsed.data,
        attempts: attempt,
        costUsd: cost,
        inputTokens: inTok,
        outputTokens: outTok,
      };
    } catch (err) {
      const e = err as { message?: string; retryable?: boolean; retryAfterMs?: number; kind?: string };
      if (options.signal?.aborted) {
        return fail('aborted', attempt, true);
      }
      lastReason = `${e.kind ? `${e.kind}: ` : ''}${e.message ?? String(err)}`;
      if (!e.retryable) {
        return fail(lastReason, attempt, false);
      }
      if (e.retryAfterMs !== undefined && e.retryAfterMs >= 0 && e.retryAfterMs <= 60_000)
        delay = e.retryAfterMs;
      if (attempt <= maxRetries) {
        try {
          await sleep(delay * (e.retryAfterMs !== undefined ? 1 : 0.5 + Math.random() * 0.5), options.signal);
        } catch {
          return fail('aborted', attempt, true);
        }
      }
    }
  }
  return fail(`${lastReason} (after ${maxRetries + 1} attempts)`, maxRetries + 1, false);
}
