import { UsageError } from '../errors.ts';
import { createChatModel } from '../inference/chat-model.ts';
import { createPriceTable, findModelPrice } from '../inference/pricing.ts';
import type { ChatModel } from '../inference/types.ts';
import type { JudgeSettings } from './judge-config.ts';
import { assertJudgeName } from './judge-metadata.ts';
import type { Judge } from './judge-types.ts';
import { createLlmJudge, type LlmJudgeOptions } from './llm-judge.ts';
import { createProgrammaticJudge } from './programmatic-judge.ts';
import type { RegisteredRubric } from './rubric-registry.ts';

/** Extra knobs of an LLM judge beyond the config keys. */
export type LlmJudgeTuning = Partial<Omit<LlmJudgeOptions, 'model' | 'name' | 'price'>> & {
  /** Retries of one provider call (inside the inference layer). @default 3 */
  transportRetries?: number;
  /** First backoff delay of provider-call retries (a server's retry-after wins). @default 500 */
  transportBaseDelayMs?: number;
  /** A model to use instead of building one (tests, custom transports). */
  model?: ChatModel;
  env?: Record<string, string | undefined>;
};

/**
 * Builds the judge a settings block asks for: programmatic (the rubric's verifier) or an LLM judge over
 * `createChatModel`. Bad settings fail here as one `UsageError` (no model, missing key, no verifier).
 */
export function createJudgeFromSettings(
  settings: JudgeSettings,
  rubric: RegisteredRubric,
  tuning: LlmJudgeTuning = {},
): Judge {
  if (settings.provider === 'programmatic') {
    if (!rubric.verifier) {
      throw new UsageError(`rubric ${rubric.rubric.id} has no programmatic verifier`, {
        hint: 'pick an LLM judge with --provider openai|groq|anthropic|URL and --model',
      });
    }
    const name = settings.name ?? 'programmatic';
    assertJudgeName(name);
    return createProgrammaticJudge(rubric.verifier, { name });
  }
  if (!settings.model)
    throw new UsageError(`judge provider ${settings.provider} needs a model`, {
      hint: 'pass --model, e.g. gpt-4o-mini',
    });
  const name = settings.name ?? 'llm';
  assertJudgeName(name);
  const { transportRetries, transportBaseDelayMs, model: given, env, ...rest } = tuning;
  const model =
    given ??
    createChatModel({
      provider: settings.provider,
      model: settings.model,
      baseURL: settings.baseURL,
      apiKeyEnv: settings.apiKeyEnv,
      env,
      maxRetries: transportRetries ?? 3,
      baseDelayMs: transportBaseDelayMs,
      timeoutMs: settings.timeoutMs,
    });
  const price = findModelPrice(createPriceTable(), model.provider, model.model) ?? null;
  return createLlmJudge({
    ...rest,
    name,
    model,
    outcome: settings.outcome,
    event: settings.event,
    samples: settings.samples ?? rest.samples,
    temperature: settings.temperature ?? rest.temperature,
    price: price ? { input: price.input, output: price.output } : null,
  });
}
