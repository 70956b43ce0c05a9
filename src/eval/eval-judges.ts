import { createChatModel } from '../inference/chat-model.ts';
import type { Judge } from '../judge/judge-types.ts';
import { createLlmJudge } from '../judge/llm-judge.ts';
import { createProgrammaticJudge } from '../judge/programmatic-judge.ts';
import { loadRubricFromTaskApp } from '../judge/rubric-load.ts';
import { createRubricRegistry, type RegisteredRubric } from '../judge/rubric-registry.ts';
import type { JudgeRubric } from '../judge/rubric-types.ts';
import { abstainVerdict } from '../judge/verdict.ts';
import { createRubricVerifier } from './rubric-verifier.ts';
import type { EvalJudge } from './types.ts';

/** `[eval.judge]` (seed 000) after parsing. */
export interface EvalJudgeSettings {
  enabled: boolean;
  /** Key under `judge_metadata`. @default "llm" for an LLM judge, "verifier" for a programmatic one */
  name?: string | undefined;
  provider?: string | undefined;
  /** With a model the judge is an LLM; without one, the rubric's programmatic verifier. */
  model?: string | undefined;
  api_key_env?: string | undefined;
  inference_url?: string | undefined;
  rubric_id?: string | undefined;
  event?: boolean | undefined;
  outcome?: boolean | undefined;
  timeout_s?: number | undefined;
}

/** Where the rubric comes from when the registry does not know it. */
export interface JudgeTaskApp {
  appId: string;
  envName: string;
  /** Other names of the app (`crafter` for `grpo-crafter`), tried as rubric ids too. */
  aliases?: readonly string[] | undefined;
  url: string;
  apiKey?: string | undefined;
}

/**
 * Builds the judge eval runs on each finished rollout: the judges stage's LLM judge when a model is set,
 * otherwise the rubric's programmatic verifier (Crafter's), otherwise the task app's own rubric scores.
 */
export async function createEvalJudges(settings: EvalJudgeSettings, app: JudgeTaskApp): Promise<EvalJudge[]> {
  if (!settings.enabled) return [];
  const registry = createRubricRegistry();
  const ref = [settings.rubric_id, app.appId, app.envName, ...(app.aliases ?? [])].find(
    (id) => id !== undefined && registry.has(id),
  );
  const registered: RegisteredRubric | null = ref ? registry.get(ref) : null;
  if (settings.model) {
    const rubric =
      registered?.rubric ??
      (await loadRubricFromTaskApp(app.url, { apiKey: app.apiKey, fallbackId: settings.rubric_id }));
    const model = createChatModel({
      model: settings.model,
      provider: settings.provider,
      inference_url: settings.inference_url,
      api_key_env: settings.api_key_env,
    });
    const judge = createLlmJudge({
      name: settings.name ?? 'llm',
      model,
      outcome: settings.outcome ?? true,
      event: settings.event ?? false,
      ...(settings.timeout_s ? { deadlineMs: settings.timeout_s * 1000 } : {}),
    });
    return [adaptJudge(judge, rubric)];
  }
  if (registered?.verifier) {
    return [
      adaptJudge(
        createProgrammaticJudge(registered.verifier, { name: settings.name ?? 'verifier' }),
        registered.rubric,
      ),
    ];
  }
  return [createRubricVerifier(settings.name ?? 'rubric')];
}

/** Runs a judges-stage judge on a rollout's stored trace; no trace means nothing to grade (abstain). */
export function adaptJudge(judge: Judge, rubric: JudgeRubric): EvalJudge {
  return {
    name: judge.name,
    async grade(input, signal) {
      if (!input.trace)
        return abstainVerdict('the task app returned no trace to grade', { judge: judge.name });
      return judge.prepare(input.trace, rubric).run(signal);
    },
  };
}
