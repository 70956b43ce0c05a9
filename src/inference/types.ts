/**
 * The chat-model contract: one request shape and one result shape for every provider.
 * Messages and tools are in OpenAI chat form (see `src/tracing/types.ts`); providers that speak another
 * wire format convert both ways.
 * @module
 */
import type {
  ChatMessage,
  ChatToolCall,
  JsonObject,
  JsonValue,
  LLMCallRecord,
  TokenUsage,
  ToolDefinition,
} from '../tracing/types.ts';

/** Which tool the model must call: `auto` (may answer in text), `none`, `required` (any tool), or one named tool. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Structured output: a JSON schema the answer must follow (where the provider supports it), or any JSON object. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonObject; strict?: boolean; description?: string };

/** Reasoning effort for reasoning models (OpenAI `reasoning_effort`, Anthropic `output_config.effort`). */
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

/** One chat completion request, provider-neutral. */
export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** `false` asks for at most one tool call per answer. */
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  /** Output token cap; sent as `max_tokens` (or `max_completion_tokens` for OpenAI reasoning models). */
  maxTokens?: number;
  /** Output token cap including reasoning tokens (OpenAI reasoning models). Wins over `maxTokens`. */
  maxCompletionTokens?: number;
  reasoningEffort?: ReasoningEffort;
  /** Anthropic extended thinking budget in tokens (ignored by OpenAI-form providers). */
  thinkingBudgetTokens?: number;
  stop?: string[];
  seed?: number;
  /** Extra provider-specific body fields, sent as they are (e.g. vLLM's `chat_template_kwargs`). */
  extraBody?: JsonObject;
  /** Copied into the call record's `metadata`. */
  metadata?: JsonObject;
  /** Overrides the model's per-call timeout. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Why the model stopped, normalised over providers:
 * - `stop`: a natural end or a stop sequence
 * - `length`: the output token cap was hit
 * - `tool-calls`: the answer is tool calls
 * - `content-filter`: refused or filtered
 * - `other`: anything else (the raw value is kept in `rawFinishReason`)
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/** One normalised answer. */
export interface ChatResult {
  /** The assistant message in OpenAI chat form (tool calls with ids and JSON-string arguments). */
  message: ChatMessage;
  text: string | null;
  toolCalls: ChatToolCall[];
  /** `text` parsed as JSON when a JSON response format was asked for and it parsed; otherwise undefined. */
  parsed?: JsonValue;
  finishReason: FinishReason;
  rawFinishReason: string | null;
  /** Token counts in both naming schemes, with `cost_usd` when the model is priced. */
  usage: TokenUsage;
  /** USD, or null when the model is not in the price table. */
  costUsd: number | null;
  latencyMs: number;
  /** Number of HTTP attempts this call took (1 = no retry). */
  attempts: number;
  /** Settings the provider could not honour (e.g. `seed` on Anthropic), one line each. */
  warnings: string[];
  record: LLMCallRecord;
}

/** A configured model of one provider. */
export interface ChatModel {
  readonly provider: string;
  readonly model: string;
  /** The base URL requests go to (no key in it). */
  readonly baseURL: string;
  complete(request: ChatRequest): Promise<ChatResult>;
}
