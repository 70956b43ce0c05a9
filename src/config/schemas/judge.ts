/**
 * Judge settings shared by `[eval.judge]`, `[eval.judge.<name>]`, `[[eval.judges]]` and RL's `[judge]`.
 * @module
 */
import { z } from 'zod';
import {
  envVarName,
  httpUrl,
  positiveInt,
  positiveNumber,
  type Report,
  table,
  unitInterval,
  withRules,
} from './common.ts';

/**
 * Who grades: an LLM provider, any OpenAI-compatible server (with `base_url`), or the task app's
 * programmatic rubric (no LLM, no key).
 */
export const JUDGE_PROVIDERS = [
  'openai',
  'groq',
  'anthropic',
  'gemini',
  'openai-compatible',
  'programmatic',
] as const;
/** One of {@link JUDGE_PROVIDERS}. */
export type JudgeProvider = (typeof JUDGE_PROVIDERS)[number];

/** The keys every judge table accepts. */
export const judgeSpecShape = {
  /** Whether this judge runs. @default true (a judge you wrote down runs unless you say otherwise) */
  enabled: z.boolean().optional(),
  /** The provider; `type` is the spelling seed 001 uses for the same thing. */
  provider: z.enum(JUDGE_PROVIDERS).optional(),
  /** Same as `provider` (seed 001's `[judge] type = "openai"`). */
  type: z.enum(JUDGE_PROVIDERS).optional(),
  /** The judge model, for example `gpt-4o-mini`. */
  model: z.string().min(1).optional(),
  /** The environment variable holding the provider's key. @default the provider's usual variable */
  api_key_env: envVarName().optional(),
  /** The rubric to grade with, for example `crafter/bundle@v1`. */
  rubric_id: z.string().min(1).optional(),
  /** Base URL of an OpenAI-compatible server. */
  base_url: httpUrl().optional(),
  /** Grade steps (event judging). */
  event: z.boolean().optional(),
  /** Grade the whole episode (outcome judging). */
  outcome: z.boolean().optional(),
  /** Seconds before one judge call gives up (the judgment abstains). */
  timeout_s: positiveNumber().optional(),
  /** Fraction of trajectories to judge; the rest abstain. @default 1 */
  sample_rate: unitInterval().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: positiveInt().optional(),
  /** Parallel judge calls. */
  concurrency: positiveInt().optional(),
} as const;

/** Keys of the Python original's callable judges, which cannot run here. */
const PYTHON_ONLY = ['module', 'path', 'callable', 'function'] as const;

/** Reports provider/type disagreements and Python-only keys in one judge table. */
export function checkJudgeSpec(value: Record<string, unknown>, report: Report): void {
  if (typeof value.provider === 'string' && typeof value.type === 'string' && value.provider !== value.type) {
    report(['type'], `type "${value.type}" disagrees with provider "${value.provider}" (keep one of them)`);
  }
  if (value.provider === 'openai-compatible' || value.type === 'openai-compatible') {
    if (value.base_url === undefined) report(['base_url'], 'provider "openai-compatible" needs base_url');
  }
  for (const key of PYTHON_ONLY) {
    if (key in value) {
      report(
        [key],
        `Python judge modules (${key}) cannot run in synth-ai for TypeScript; use provider and model, or provider = "programmatic"`,
      );
    }
  }
}

/** A named judge (`[eval.judge.<name>]`, `[[eval.judges]]`): the judge keys plus `name`. */
export const namedJudgeSchema = withRules(table(namedJudgeShape()), checkJudgeSpec);

/** The keys of a named judge table. */
export function namedJudgeShape() {
  return {
    ...judgeSpecShape,
    /** The judge's name: its scores are stored under it. */
    name: z.string().min(1).optional(),
    // Accepted only to be refused with a useful message (see checkJudgeSpec).
    module: z.unknown().optional(),
    path: z.unknown().optional(),
    callable: z.unknown().optional(),
    function: z.unknown().optional(),
  };
}

/** A judge as the program sees it: provider resolved from `provider` or `type`, defaults applied. */
export interface ResolvedJudge {
  readonly name: string;
  readonly enabled: boolean;
  readonly provider: JudgeProvider | undefined;
  readonly model: string | undefined;
  readonly api_key_env: string | undefined;
  readonly rubric_id: string | undefined;
  readonly base_url: string | undefined;
  readonly event: boolean | undefined;
  readonly outcome: boolean | undefined;
  readonly timeout_s: number | undefined;
  readonly sample_rate: number;
  readonly temperature: number | undefined;
  readonly max_tokens: number | undefined;
  readonly concurrency: number | undefined;
}

/** Turns a validated judge table into a {@link ResolvedJudge}. */
export function resolveJudge(
  name: string,
  spec: Partial<Record<keyof typeof judgeSpecShape, unknown>>,
): ResolvedJudge {
  return {
    name,
    enabled: (spec.enabled as boolean | undefined) ?? true,
    provider: (spec.provider ?? spec.type) as JudgeProvider | undefined,
    model: spec.model as string | undefined,
    api_key_env: spec.api_key_env as string | undefined,
    rubric_id: spec.rubric_id as string | undefined,
    base_url: spec.base_url as string | undefined,
    event: spec.event as boolean | undefined,
    outcome: spec.outcome as boolean | undefined,
    timeout_s: spec.timeout_s as number | undefined,
    sample_rate: (spec.sample_rate as number | undefined) ?? 1,
    temperature: spec.temperature as number | undefined,
    max_tokens: spec.max_tokens as number | undefined,
    concurrency: spec.concurrency as number | undefined,
  };
}

/** True when a judge table names a judge itself (rather than only holding named sub-judges). */
export const hasJudgeFields = (spec: Record<string, unknown>): boolean =>
  ['provider', 'type', 'model', 'rubric_id', 'enabled', 'api_key_env', 'base_url'].some(
    (k) => spec[k] !== undefined,
  );
