/**
 * Reads an LLM policy's settings from a rollout request's `policy.config` (snake_case, as TOML and the
 * HTTP contract write them). Every problem is reported at once; unknown keys are left to others.
 * @module
 */
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import type { ChatModelOptions } from '../inference/chat-model.ts';
import type { ChatRequest, ToolChoice } from '../inference/types.ts';
import type { JsonObject } from '../tracing/types.ts';

const positiveInt = z.number().int().positive();
const schema = z.object({
  model: z.string().min(1),
  provider: z.string().optional(),
  inference_url: z.string().optional(),
  api_key_env: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: positiveInt.optional(),
  max_completion_tokens: positiveInt.optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  thinking_budget: positiveInt.optional(),
  timeout_s: z.number().positive().optional(),
  max_retries: z.number().int().min(0).optional(),
  concurrency: positiveInt.optional(),
  requests_per_minute: z.number().positive().optional(),
  tokens_per_minute: z.number().positive().optional(),
  history_length: z.number().int().min(0).optional(),
  max_repairs: z.number().int().min(0).optional(),
  system_prompt: z.string().optional(),
  tool_choice: z.string().optional(),
  use_vision: z.boolean().optional(),
});

/** What `policy.config` can set. */
export interface LlmPolicyConfig {
  model: ChatModelOptions;
  request: Partial<Omit<ChatRequest, 'messages' | 'signal'>>;
  historyLength?: number;
  maxRepairs?: number;
  systemPrompt?: string;
  toolChoice?: ToolChoice;
  includeImage?: boolean;
}

/** Configs parsed lately, by their JSON: a run sends the same `policy.config` with every rollout. */
const parsedConfigs = new Map<string, LlmPolicyConfig>();

/**
 * Parses `policy.config`. The result is frozen and shared by every call with the same config (a task app
 * builds a policy per rollout, and the parse cost ~15 µs of each).
 * @throws ConfigError listing every bad key with the value it got.
 */
export function parseLlmPolicyConfig(config: JsonObject): LlmPolicyConfig {
  const key = JSON.stringify(config);
  let parsed = parsedConfigs.get(key);
  if (!parsed) {
    parsed = freezeConfig(parseConfig(config));
    if (parsedConfigs.size >= 32) parsedConfigs.clear();
    parsedConfigs.set(key, parsed);
  }
  return parsed;
}

function freezeConfig(config: LlmPolicyConfig): LlmPolicyConfig {
  Object.freeze(config.model);
  Object.freeze(config.request);
  if (typeof config.toolChoice === 'object') Object.freeze(config.toolChoice);
  return Object.freeze(config);
}

function parseConfig(config: JsonObject): LlmPolicyConfig {
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `policy.config.${i.path.join('.') || '(root)'}: ${i.message}`),
      { hint: 'fix these keys in the policy config (e.g. [eval.policy_config])' },
    );
  }
  const c = parsed.data;
  const request: LlmPolicyConfig['request'] = {};
  if (c.temperature !== undefined) request.temperature = c.temperature;
  if (c.top_p !== undefined) request.topP = c.top_p;
  if (c.max_tokens !== undefined) request.maxTokens = c.max_tokens;
  if (c.max_completion_tokens !== undefined) request.maxCompletionTokens = c.max_completion_tokens;
  if (c.reasoning_effort !== undefined) request.reasoningEffort = c.reasoning_effort;
  if (c.thinking_budget !== undefined) request.thinkingBudgetTokens = c.thinking_budget;
  const model: ChatModelOptions = { model: c.model };
  if (c.provider) model.provider = c.provider;
  if (c.inference_url) model.inference_url = c.inference_url;
  if (c.api_key_env) model.api_key_env = c.api_key_env;
  if (c.timeout_s !== undefined) model.timeoutMs = c.timeout_s * 1000;
  if (c.max_retries !== undefined) model.maxRetries = c.max_retries;
  if (c.concurrency !== undefined) model.concurrency = c.concurrency;
  if (c.requests_per_minute !== undefined) model.requestsPerMinute = c.requests_per_minute;
  if (c.tokens_per_minute !== undefined) model.tokensPerMinute = c.tokens_per_minute;
  const out: LlmPolicyConfig = { model, request };
  if (c.history_length !== undefined) out.historyLength = c.history_length;
  if (c.max_repairs !== undefined) out.maxRepairs = c.max_repairs;
  if (c.system_prompt !== undefined) out.systemPrompt = c.system_prompt;
  if (c.tool_choice !== undefined) {
    out.toolChoice =
      c.tool_choice === 'auto' || c.tool_choice === 'required' ? c.tool_choice : { name: c.tool_choice };
  }
  if (c.use_vision !== undefined) out.includeImage = c.use_vision;
  return out;
}
