import { UsageError } from '../errors.ts';
import { resolveProvider } from '../inference/providers.ts';
import type { JsonObject } from '../tracing/types.ts';
import type { ResolvedPolicy } from './types.ts';

/** What the user asked for; every field optional. */
export interface PolicyRequest {
  /** `--policy`: `llm`, or a built-in policy of the app (`scripted`, `random`, `keyword`). */
  policy?: string | undefined;
  /** `--model` or the config's model. */
  model?: string | undefined;
  /** `[eval.policy_config]` / `[eval.policy]`: provider, inference_url, api_key_env, temperature, ... */
  policyConfig?: JsonObject | undefined;
}

/**
 * Apps whose built-in policy eval runs when no model is given. Crafter's scripted policy plays the game,
 * so an offline run (the demo, CI) is meaningful. Banking77's keyword baseline is only a baseline: a
 * Banking77 eval without a model is most likely a missing key, so it must be asked for (`--policy keyword`).
 * (Better kept on the task app itself; see the eval report.)
 */
export const OFFLINE_DEFAULT_POLICY: Readonly<Record<string, string>> = {
  'grpo-crafter': 'scripted',
  crafter: 'scripted',
};

/** The policy eval runs for an app when no model and no `--policy` are given, if any. */
export function offlineDefaultPolicy(app: {
  id: string;
  aliases?: readonly string[] | undefined;
}): string | undefined {
  for (const name of [app.id, ...(app.aliases ?? [])]) {
    const policy = OFFLINE_DEFAULT_POLICY[name.toLowerCase()];
    if (policy) return policy;
  }
  return undefined;
}

/** What eval knows about the app (from the registry when the app is built in). */
export interface AppPolicyFacts {
  appId: string;
  /** The policy eval runs when none is named and no model is set (Crafter: `scripted`); see {@link offlineDefaultPolicy}. */
  defaultPolicy?: string | undefined;
  /** Built-in policy names. */
  policies?: readonly string[] | undefined;
}

/**
 * Picks the policy of a run.
 * - `--policy llm`, or a model (flag or config) without `--policy`: the LLM policy with that model.
 * - `--policy NAME` (other than llm): the app's built-in policy NAME; a model is not needed.
 * - neither: the app's default built-in policy (Crafter: `scripted`), so a run with no key works offline.
 *   An app without one (Banking77) is a usage error naming the key and `--model` it needs.
 * A key found in the environment never switches a run to the LLM on its own: spending money is opt-in.
 */
export function choosePolicy(request: PolicyRequest, app: AppPolicyFacts): ResolvedPolicy {
  const config: JsonObject = { ...(request.policyConfig ?? {}) };
  const model = request.model ?? (typeof config.model === 'string' ? config.model : undefined);
  const wanted = request.policy?.trim().toLowerCase();
  if (wanted && wanted !== 'llm') {
    if (app.policies && app.policies.length > 0 && !app.policies.includes(wanted)) {
      throw new UsageError(`${app.appId} has no built-in policy "${wanted}"`, {
        hint: `use --policy ${[...app.policies, 'llm'].join('|')}`,
      });
    }
    delete config.model;
    return { policyName: wanted, config, model: null };
  }
  if (model) {
    config.model = model;
    const policyName = typeof config.policy_name === 'string' ? config.policy_name : 'llm';
    delete config.policy_name;
    return { policyName, config, model };
  }
  if (wanted === 'llm') {
    throw new UsageError('--policy llm needs a model', {
      hint: 'pass --model (e.g. --model gpt-4o-mini with OPENAI_API_KEY set) or set model in the config',
    });
  }
  if (app.defaultPolicy) return { policyName: app.defaultPolicy, config, model: null };
  // An app eval does not know (reached by --url) picks its own default, as synth-ai task apps do.
  if (app.policies === undefined) return { policyName: null, config, model: null };
  const builtIns = app.policies && app.policies.length > 0 ? ` or --policy ${app.policies.join('|')}` : '';
  throw new UsageError(`${app.appId} needs an LLM policy: no model given`, {
    hint: `pass --model gpt-4o-mini with OPENAI_API_KEY set (or --model groq:llama-3.3-70b-versatile with GROQ_API_KEY)${builtIns}`,
  });
}

/**
 * Checks, before any rollout, that the LLM policy's key is present. Only meaningful when the task app runs
 * in this process (the temporary server): a remote app reads its own environment.
 */
export function assertPolicyKey(
  policy: ResolvedPolicy,
  env: Record<string, string | undefined> = process.env,
): void {
  if (policy.model === null) return;
  const c = policy.config;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  resolveProvider({
    model: policy.model,
    provider: str(c.provider),
    inference_url: str(c.inference_url),
    api_key_env: str(c.api_key_env),
    env,
  });
}
