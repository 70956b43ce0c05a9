/**
 * Policy settings of `[eval]`: the top-level overrides, `[eval.policy]` and `[eval.policy_config]`.
 * @module
 */
import { z } from 'zod';
import { envVarName, httpUrl, looseTable, positiveInt, table } from './common.ts';

/** Reasoning effort levels accepted by reasoning models. */
export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

/** Keys that override the policy, written at the top of `[eval]` or in `[eval.policy]`. */
export const policyOverrideShape = {
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: positiveInt().optional(),
  reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  /** Extra text appended to the policy's system prompt. */
  system_hint: z.string().optional(),
  /** `"auto"`, `"required"`, `"none"`, or a tool-choice table passed through. */
  tool_choice: z.union([z.string(), looseTable()]).optional(),
  /** Base URL of the policy's OpenAI-compatible inference server. */
  inference_url: httpUrl().optional(),
} as const;

/** `[eval.policy]`: the overrides plus model, provider and the key's variable. */
export const evalPolicySchema = table({
  ...policyOverrideShape,
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  /** The variable holding the policy provider's key. @default the provider's usual variable */
  api_key_env: envVarName().optional(),
  policy_name: z.string().min(1).optional(),
});

/**
 * `[eval.policy_config]`: passed through to the task app's policy as written, so unknown keys are kept;
 * the keys synth-ai reads itself are still type-checked.
 */
export const policyConfigSchema = z.looseObject({
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  inference_url: httpUrl().optional(),
  api_key_env: envVarName().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: positiveInt().optional(),
});

/** Builds the policy config sent with each rollout: overrides first, `policy_config` wins (as the original). */
export function mergePolicyConfig(
  topLevel: Record<string, unknown>,
  policy: Record<string, unknown> | undefined,
  policyConfig: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(policyOverrideShape)) {
    if (topLevel[key] !== undefined) merged[key] = topLevel[key];
  }
  for (const source of [policy, policyConfig]) {
    for (const [key, value] of Object.entries(source ?? {})) if (value !== undefined) merged[key] = value;
  }
  return merged;
}
