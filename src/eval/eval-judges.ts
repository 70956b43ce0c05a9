import pLimit from 'p-limit';
import { UsageError } from '../errors.ts';
import { createChatModel } from '../inference/chat-model.ts';
import { RESERVED_JUDGE_KEYS } from '../judge/judge-metadata.ts';
import type { Judge } from '../judge/judge-types.ts';
import { createLlmJudge } from '../judge/llm-judge.ts';
import { createProgrammaticJudge } from '../judge/programmatic-judge.ts';
import { loadRubricFromTaskApp } from '../judge/rubric-load.ts';
import { createRubricRegistry, type RegisteredRubric } from '../judge/rubric-registry.ts';
import type { JudgeRubric } from '../judge/rubric-types.ts';
import { inSample } from '../judge/sampling.ts';
import { abstainVerdict } from '../judge/verdict.ts';
import { createRubricVerifier } from './rubric-verifier.ts';
import type { EvalJudge } from './types.ts';

/** One judge of `[eval]` (`[eval.judge]`, `[eval.judge.<name>]`, `[[eval.judges]]`) after parsing. */
export interface EvalJudgeSettings {
  enabled: boolean;
  /** Key under `judge_metadata`. @default "llm" (LLM judge), "verifier" (rubric verifier), "rubric" (app scores) */
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
  /** LLM judge sampling temperature and output token cap. */
  temperature?: number | undefined;
  max_tokens?: number | undefined;
  /** Share of seeds graded, in [0, 1]; the same seeds each run. Others get an abstain "sampled out". */
  sample_rate?: number | undefined;
  /** Most gradings of this judge at once (eval's own concurrency otherwise). */
  concurrency?: number | undefined;
}

/** Where the rubric comes from when the registry does not know it. */
export interface JudgeTaskApp {
  appId: string;
  envName: string;
  /** Other names of the app (`crafter` for `grpo-crafter`), tried as rubric ids too. */
  aliases?: readonly string[] | undefined;
  url: string;
  apiKey?: string | undefined;
  /** How to reach `url` (a temporary app's in-process route); the global fetch when absent. */
  fetch?: typeof fetch | undefined;
}

/**
 * What `runEval` takes as judges: one judge's settings, or a list of settings and ready judges, graded in
 * order (the first is the primary judge: its score is `judge_metadata.primary` and the "verifier" column).
 */
export type EvalJudgeOption = EvalJudgeSettings | readonly (EvalJudgeSettings | EvalJudge)[] | null;

/**
 * Builds every judge of `option` (disabled settings give none) and checks their names: each is a key of
 * `judge_metadata` and of a row's verdicts, so two judges with one name would overwrite each other's scores.
 */
export async function buildEvalJudges(
  option: EvalJudgeOption | undefined,
  app: JudgeTaskApp,
): Promise<EvalJudge[]> {
  if (!option) return [];
  const items: readonly (EvalJudgeSettings | EvalJudge)[] = isJudgeList(option) ? option : [option];
  const judges: EvalJudge[] = [];
  // One after another: a rubric fetch that fails stops the run before any judge call is made.
  for (const item of items) {
    if ('grade' in item) judges.push(item);
    else judges.push(...(await createEvalJudges(item, app)));
  }
  assertDistinctJudgeNames(judges);
  return judges;
}

function isJudgeList(option: EvalJudgeOption): option is readonly (EvalJudgeSettings | EvalJudge)[] {
  return Array.isArray(option);
}

/** Refuses a judge name used twice or one of `judge_metadata`'s own keys. */
export function assertDistinctJudgeNames(judges: readonly EvalJudge[]): void {
  const seen = new Set<string>();
  for (const { name } of judges) {
    if (RESERVED_JUDGE_KEYS.includes(name)) {
      throw new UsageError(`judge name "${name}" is one of judge_metadata's own keys`, {
        hint: `rename the judge (name = "..."), not ${RESERVED_JUDGE_KEYS.join(', ')}`,
      });
    }
    if (seen.has(name)) {
      throw new UsageError(`two judges are named "${name}"; their scores would overwrite each other`, {
        hint: 'give each judge its own name; an unnamed judge is named after its kind: llm, verifier or rubric',
      });
    }
    seen.add(name);
  }
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
      (await loadRubricFromTaskApp(app.url, {
        apiKey: app.apiKey,
        fallbackId: settings.rubric_id,
        fetch: app.fetch,
      }));
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
      ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
      ...(settings.max_tokens !== undefined ? { maxTokens: settings.max_tokens } : {}),
    });
    return [withLimits(adaptJudge(judge, rubric), settings)];
  }
  if (registered?.verifier) {
    const verifier = createProgrammaticJudge(registered.verifier, { name: settings.name ?? 'verifier' });
    return [withLimits(adaptJudge(verifier, registered.rubric), settings)];
  }
  return [withLimits(createRubricVerifier(settings.name ?? 'rubric'), settings)];
}

/**
 * Applies a judge's `sample_rate` (by seed, so a rerun grades the same seeds) and `concurrency` (its own
 * cap under eval's).
 */
function withLimits(judge: EvalJudge, settings: EvalJudgeSettings): EvalJudge {
  const rate = settings.sample_rate ?? 1;
  const limit = settings.concurrency ? pLimit(settings.concurrency) : null;
  if (rate >= 1 && !limit) return judge;
  return {
    name: judge.name,
    grade(input, signal) {
      if (!inSample(`seed:${input.seed}`, rate)) {
        return Promise.resolve(abstainVerdict(`sampled out (sample rate ${rate})`, { judge: judge.name }));
      }
      return limit ? limit(() => judge.grade(input, signal)) : judge.grade(input, signal);
    },
  };
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
