/**
 * The Banking77 LLM policy: the query, the valid labels (from the tool's enum), `banking77_classify`
 * forced. A label outside the list is caught by the enum and repaired.
 * @module
 */

import { createLlmPolicyFromSettings, type LlmPolicySettings } from './llm-policy-core.ts';
import { BANKING77_CLASSIFY_TOOL_NAME, BANKING77_LLM_SYSTEM_PROMPT } from './prompts/banking77.ts';
import type { Policy, PolicyContext } from './types.ts';

/** The labels listed in the classify tool's `intent` enum, if the environment gives one. */
function labelsOf(ctx: PolicyContext): string[] {
  const tool = ctx.tools.find((t) => t.function.name === BANKING77_CLASSIFY_TOOL_NAME);
  const intent = (tool?.function.parameters.properties as Record<string, { enum?: unknown }> | undefined)
    ?.intent;
  return Array.isArray(intent?.enum) ? intent.enum.map(String) : [];
}

/** Settings: the model, plus anything of `LlmPolicySettings` to override. */
export type Banking77LlmPolicySettings = Partial<LlmPolicySettings> & Pick<LlmPolicySettings, 'model'>;

/** Builds the Banking77 policy (temperature 0 by default: classification wants the top label). */
export function createBanking77LlmPolicy(settings: Banking77LlmPolicySettings): Policy {
  return createLlmPolicyFromSettings({
    name: 'banking77-llm',
    systemPrompt: BANKING77_LLM_SYSTEM_PROMPT,
    toolChoice: { name: BANKING77_CLASSIFY_TOOL_NAME },
    historyLength: 0,
    renderObservation: (ctx) => {
      const labels = labelsOf(ctx);
      return labels.length
        ? `${ctx.observation.text}\n\nValid intents: ${labels.join(', ')}`
        : ctx.observation.text;
    },
    ...settings,
    request: { temperature: 0, ...settings.request },
  });
}
