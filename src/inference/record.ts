/**
 * Builds the `LLMCallRecord` of one call, success or failure, with secrets scrubbed.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { ChatMessage, JsonObject, LLMCallRecord, TokenUsage } from '../tracing/types.ts';
import type { InferenceError } from './errors.ts';
import { containsKeys, redactKeysDeep } from './redact.ts';
import type { ChatRequest } from './types.ts';

/** The request settings a record keeps (OpenAI names, messages excluded, undefined dropped). */
export function requestParams(model: string, request: ChatRequest): JsonObject {
  const params: Record<string, unknown> = {
    model,
    temperature: request.temperature,
    top_p: request.topP,
    max_tokens: request.maxTokens,
    max_completion_tokens: request.maxCompletionTokens,
    tool_choice: request.toolChoice,
    parallel_tool_calls: request.parallelToolCalls,
    response_format: request.responseFormat,
    reasoning_effort: request.reasoningEffort,
    thinking_budget_tokens: request.thinkingBudgetTokens,
    stop: request.stop,
    seed: request.seed,
    tools: request.tools,
    ...request.extraBody,
  };
  for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
  return params as JsonObject;
}

/** Everything a record needs beyond the request. */
export interface RecordParts {
  apiType: LLMCallRecord['api_type'];
  provider: string;
  model: string;
  request: ChatRequest;
  startedAt: number;
  latencyMs: number;
  output?: ChatMessage;
  usage?: TokenUsage | null;
  finishReason?: string | null;
  error?: InferenceError;
  metadata: Record<string, unknown>;
  secrets: readonly (string | undefined)[];
}

/** A complete, scrubbed call record. */
export function buildCallRecord(parts: RecordParts): LLMCallRecord {
  const output = parts.output;
  const record: LLMCallRecord = {
    call_id: randomUUID(),
    api_type: parts.apiType,
    provider: parts.provider,
    model_name: parts.model,
    started_at: new Date(parts.startedAt).toISOString(),
    completed_at: new Date(parts.startedAt + parts.latencyMs).toISOString(),
    latency_ms: parts.latencyMs,
    request_params: requestParams(parts.model, parts.request),
    input_messages: [...parts.request.messages],
    output_messages: output ? [output] : [],
    output_text: typeof output?.content === 'string' ? output.content : null,
    output_tool_calls: (output?.tool_calls ?? []).map((call, index) => ({
      name: call.function.name,
      arguments_json: call.function.arguments,
      call_id: call.id,
      index,
    })),
    usage: parts.usage ?? null,
    finish_reason: parts.finishReason ?? null,
    error: parts.error
      ? {
          type: parts.error.kind,
          message: parts.error.message,
          ...(parts.error.status ? { status: parts.error.status } : {}),
        }
      : null,
    metadata: { ...(parts.request.metadata ?? {}), ...parts.metadata } as JsonObject,
  };
  // A record is built per call and usually holds no key: copy it (scrubbed) only when something needs it.
  return containsKeys(record, parts.secrets) ? redactKeysDeep(record, parts.secrets) : record;
}
