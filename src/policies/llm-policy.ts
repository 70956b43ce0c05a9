/**
 * `createLlmPolicy`: the one entry point for LLM policies. It takes either typed settings
 * (`LlmPolicySettings`), or the task-app server's factory options (`{seed, config, appId, systemPrompt,
 * toolChoice}`, with the model and sampling in `config` as a rollout request's `policy.config` writes
 * them); the latter picks the Crafter or Banking77 policy by app id.
 * @module
 */
import type { ToolChoice } from '../inference/types.ts';
import type { JsonObject } from '../tracing/types.ts';
import { createBanking77LlmPolicy } from './llm-banking77-policy.ts';
import { createCrafterLlmPolicy } from './llm-crafter-policy.ts';
import { parseLlmPolicyConfig } from './llm-policy-config.ts';
import { createLlmPolicyFromSettings, type LlmPolicySettings } from './llm-policy-core.ts';
import type { Policy } from './types.ts';

/** What the task-app server passes (see `LlmPolicyFactory` in `src/task-app/policy-resolver.ts`). */
export interface LlmPolicyFactoryOptions {
  seed: number;
  config: JsonObject;
  policyName?: string;
  appId: string;
  /** The app's hint, used for apps without a built-in prompt. */
  systemPrompt?: string;
  toolChoice?: ToolChoice;
}

const GENERIC_PROMPT =
  'You are an agent acting in an environment through tools. Read the observation and answer by calling exactly one of the tools with valid arguments.';

function fromFactoryOptions(options: LlmPolicyFactoryOptions): Policy {
  const c = parseLlmPolicyConfig(options.config);
  const common: Partial<LlmPolicySettings> & Pick<LlmPolicySettings, 'model'> = {
    model: c.model,
    request: c.request,
  };
  if (c.historyLength !== undefined) common.historyLength = c.historyLength;
  if (c.maxRepairs !== undefined) common.maxRepairs = c.maxRepairs;
  if (c.systemPrompt !== undefined) common.systemPrompt = c.systemPrompt;
  if (c.toolChoice !== undefined) common.toolChoice = c.toolChoice;
  if (c.includeImage !== undefined) common.includeImage = c.includeImage;
  const app = options.appId.toLowerCase();
  if (app.includes('crafter')) return createCrafterLlmPolicy(common);
  if (app.includes('banking77')) return createBanking77LlmPolicy(common);
  return createLlmPolicyFromSettings({
    systemPrompt: options.systemPrompt ?? GENERIC_PROMPT,
    toolChoice: options.toolChoice ?? 'required',
    ...common,
  });
}

/**
 * Builds an LLM policy from typed settings or from a task app's factory options.
 * @example
 * createLlmPolicy({ model: { model: 'gpt-4o-mini' }, systemPrompt: 'Solve it.', toolChoice: 'required' });
 * createLlmPolicy({ seed: 1, appId: 'crafter', config: { model: 'groq:llama-3.3-70b-versatile' } });
 */
export function createLlmPolicy(options: LlmPolicySettings | LlmPolicyFactoryOptions): Policy {
  return 'appId' in options && 'config' in options
    ? fromFactoryOptions(options)
    : createLlmPolicyFromSettings(options);
}
