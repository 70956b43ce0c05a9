import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/**
 * A judge section as the seeds write it (`[eval.judge]`, `[judge]`), plus our extras.
 * `type` is the RL config's old name for `provider`; `[judge.options]` (synth-ai's newer layout) is read too.
 */
export const JudgeSectionSchema = z.object({
  enabled: z.boolean().default(true),
  name: z.string().optional(),
  provider: z.string().optional(),
  type: z.string().optional(),
  model: z.string().optional(),
  api_key_env: z.string().optional(),
  base_url: z.string().optional(),
  rubric_id: z.string().optional(),
  event: z.boolean().optional(),
  outcome: z.boolean().optional(),
  event_weight: z.number().min(0).optional(),
  outcome_weight: z.number().min(0).optional(),
  sample_rate: z.number().min(0).max(1).optional(),
  samples: z.number().int().min(1).max(16).optional(),
  timeout_s: z.number().positive().optional(),
  concurrency: z.number().int().positive().optional(),
  max_cost_usd: z.number().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** Resolved judge settings (what `createJudgeFromSettings` takes). */
export interface JudgeSettings {
  enabled: boolean;
  name?: string;
  /** `openai`, `groq`, `anthropic`, `openai-compatible`, a URL, or `programmatic`. */
  provider: string;
  model?: string;
  apiKeyEnv?: string;
  baseURL?: string;
  rubricId?: string;
  outcome: boolean;
  event: boolean;
  sampleRate?: number;
  samples?: number;
  timeoutMs?: number;
  concurrency?: number;
  maxCostUsd?: number;
  temperature?: number;
}

/**
 * Parses a judge section. With no provider the judge is programmatic (the offline default).
 * `event_weight`/`outcome_weight` > 0 switch that judging on (seed 001 §5); explicit `event`/`outcome` win.
 */
export function parseJudgeSection(input: unknown, where = '[judge]'): JudgeSettings {
  const parsed = JudgeSectionSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${where}.${i.path.join('.')}: ${i.message}`),
      {
        hint: 'judge keys: enabled, provider (or type), model, api_key_env, rubric_id, event, outcome, sample_rate',
      },
    );
  }
  const s = parsed.data;
  const o = (s.options ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
  let provider = s.provider ?? s.type ?? str(o.provider) ?? 'programmatic';
  let baseURL = s.base_url;
  if (/^https?:\/\//.test(provider)) {
    baseURL = provider;
    provider = 'openai-compatible';
  }
  const event = s.event ?? bool(o.event) ?? (s.event_weight !== undefined ? s.event_weight > 0 : false);
  const outcome =
    s.outcome ?? bool(o.outcome) ?? (s.outcome_weight !== undefined ? s.outcome_weight > 0 || !event : true);
  const timeout = s.timeout_s ?? (typeof o.timeout_s === 'number' ? o.timeout_s : undefined);
  return {
    enabled: s.enabled,
    name: s.name,
    provider: provider.toLowerCase(),
    model: s.model ?? str(o.model),
    apiKeyEnv: s.api_key_env,
    baseURL,
    rubricId: s.rubric_id ?? str(o.rubric_id),
    outcome,
    event,
    sampleRate: s.sample_rate,
    samples: s.samples,
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    concurrency: s.concurrency,
    maxCostUsd: s.max_cost_usd,
    temperature: s.temperature,
  };
}
