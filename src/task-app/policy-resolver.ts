/**
 * Which policy runs a rollout: a built-in programmatic policy by `policy.policy_name`, otherwise an LLM
 * policy when `policy.config.model` is set. The LLM policy is injected (`llmPolicy`) so the task app
 * server does not depend on any provider code.
 * @module
 */
import type { Policy } from '../policies/types.ts';
import type { JsonObject } from '../tracing/types.ts';
import type { TaskApp } from './define.ts';
import { TaskAppHttpError } from './http-error.ts';

/** What an LLM policy factory is given. */
export interface LlmPolicyOptions {
  seed: number;
  /** The request's `policy.config` (model, inference_url, temperature, max_tokens, ...). */
  config: JsonObject;
  policyName?: string;
  appId: string;
  systemPrompt?: string;
  toolChoice?: 'required' | 'auto' | { name: string };
}

/** Builds an LLM policy; the server calls it only when the request sets `policy.config.model`. */
export type LlmPolicyFactory = (options: LlmPolicyOptions) => Policy | Promise<Policy>;

/** Picks and builds the policy of one rollout. */
export type PolicyResolver = (options: {
  app: TaskApp;
  policyName: string | undefined;
  config: JsonObject;
  seed: number;
}) => Promise<Policy>;

/**
 * The default resolver: built-in by name, then the LLM policy when `config.model` is set, then the app's
 * default policy. Anything else is a 422 that lists the built-in names.
 */
export function createPolicyResolver(options: { llmPolicy?: LlmPolicyFactory } = {}): PolicyResolver {
  return async ({ app, policyName, config, seed }) => {
    const builtIns = app.policies ?? {};
    const names = Object.keys(builtIns);
    const builtIn = policyName !== undefined ? builtIns[policyName] : undefined;
    if (builtIn) return builtIn({ seed, config });
    const model = config.model;
    if (typeof model === 'string' && model.length > 0) {
      if (!options.llmPolicy) {
        throw new TaskAppHttpError(
          503,
          'llm_policy_unavailable',
          'this task app server has no LLM policy configured',
          { hint: `use a built-in policy_name (${names.join(', ') || 'none'})` },
        );
      }
      return options.llmPolicy({
        seed,
        config,
        policyName,
        appId: app.id,
        systemPrompt: app.llm?.systemPrompt,
        toolChoice: app.llm?.toolChoice,
      });
    }
    if (policyName === undefined && app.defaultPolicy !== undefined) {
      const fallback = builtIns[app.defaultPolicy];
      if (fallback) return fallback({ seed, config });
    }
    const what =
      policyName === undefined
        ? 'no policy_name and no policy.config.model'
        : `unknown policy_name "${policyName}"`;
    throw new TaskAppHttpError(422, 'invalid_policy', `policy: ${what}`, {
      hint: `set policy.policy_name to a built-in policy (${names.join(', ') || 'none'}) or policy.config.model for an LLM`,
    });
  };
}
