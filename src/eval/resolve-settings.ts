import type { LoadedConfig } from '../config/load-config.ts';
import { MAIN_JUDGE_NAME } from '../config/schemas/eval-judges.ts';
import type { ResolvedJudge } from '../config/schemas/judge.ts';
import { parseSeeds } from '../config/seeds.ts';
import { UsageError } from '../errors.ts';
import type { JsonObject, JsonValue } from '../tracing/types.ts';
import type { EvalJudgeSettings } from './eval-judges.ts';
import type { PolicyRequest } from './policy-choice.ts';
import { parseMetadataFilters } from './seed-selection.ts';

/** The flags of `synth-ai eval`, as commander hands them over (all optional). */
export interface EvalFlags {
  appId?: string | undefined;
  url?: string | undefined;
  seeds?: string | undefined;
  model?: string | undefined;
  policy?: string | undefined;
  concurrency?: string | undefined;
  returnTrace?: boolean | undefined;
  tracesDir?: string | undefined;
  outputJson?: string | undefined;
  outputTxt?: string | undefined;
  split?: string | undefined;
  traceDb?: string | undefined;
  metadata?: string[] | undefined;
  metadataSql?: string | undefined;
  timeout?: string | undefined;
  resume?: boolean | undefined;
  runId?: string | undefined;
  backend?: string | undefined;
  judge?: boolean | undefined;
  pollInterval?: string | undefined;
}

/** Everything a run needs, after precedence. Holds no secret values (keys stay in the environment). */
export interface EvalSettings {
  appId: string;
  url: string | null;
  envName: string;
  seeds: number[] | undefined;
  split: string;
  policy: PolicyRequest;
  envConfig: JsonObject;
  ops: JsonValue[] | null;
  concurrency: number;
  timeoutMs: number | null;
  /** A trace DB location as written; undefined = the environment's or the default. */
  traceDb: string | undefined;
  tracesDir: string | null;
  outputJson: string | null;
  outputTxt: string | null;
  metadata: [string, string][];
  metadataSql: string | null;
  resume: boolean;
  runId: string | undefined;
  /** The judges each finished rollout gets, in config order (the first is primary); null = no judging. */
  judge: EvalJudgeSettings[] | null;
  /** Backend URL when backend mode is on, else null. */
  backend: string | null;
  pollIntervalMs: number;
}

function positive(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} "${value}" is not a positive ${integer ? 'integer' : 'number'}`, {
      hint: `e.g. ${flag} ${integer ? '4' : '30'}`,
    });
  }
  return n;
}

const FALSE = /^(0|false|no|off)$/i;

/**
 * Resolves a run's settings. Precedence, per setting: **flags > config file > environment > defaults**.
 * - app: `APP_ID`/`--app-id` > `[eval] app_id` / `[prompt_learning] task_app_id`.
 * - url: `--url` > `task_app_url`/`url`; none starts the app as a temporary local server.
 * - seeds: `--seeds` > `seeds` / `[prompt_learning.gepa.evaluation] seeds` > 0,1,2,3,4.
 * - trace DB: `--trace-db` > `trace_db` > `TURSO_LOCAL_DB_URL` / `SQLD_DB_PATH` > `traces/v3/synth_ai.db`;
 *   `TASKAPP_TRACING_ENABLED=0` (with neither flag nor config) turns storage off.
 * - backend: `--backend` > `SYNTH_BASE_URL` (only with `SYNTH_API_KEY` set) > direct mode.
 * - judging: every judge of `[eval.judge]`, `[eval.judge.<name>]` and `[[eval.judges]]` not written with
 *   `enabled = false`; `--judge` turns the first of them on like `[eval.judge] enabled = true`, or, with
 *   none written, the default judge (the rubric's programmatic verifier or the task app's rubric scores).
 */
export function resolveEvalSettings(
  flags: EvalFlags,
  config: LoadedConfig | null,
  env: Readonly<Record<string, string | undefined>> = process.env,
): EvalSettings {
  const e = config?.eval;
  const pl = config?.promptLearning;
  const appId = flags.appId ?? e?.app_id ?? pl?.task_app_id;
  if (!appId) {
    throw new UsageError('no task app given', {
      hint: 'pass APP_ID (e.g. synth-ai eval grpo-crafter) or --app-id, or set app_id in the config',
    });
  }
  const seeds =
    flags.seeds !== undefined
      ? parseSeeds(flags.seeds, '--seeds')
      : e?.seeds !== undefined
        ? [...e.seeds]
        : pl?.seeds !== undefined
          ? [...pl.seeds]
          : undefined;
  const policyConfig = { ...((e?.policy_config ?? pl?.policy ?? {}) as JsonObject) };
  const policyName = flags.policy ?? e?.policy_name;
  const concurrency = positive(flags.concurrency, '--concurrency', true) ?? e?.concurrency ?? 1;
  const timeoutS = positive(flags.timeout, '--timeout', false) ?? e?.timeout;
  const metadata = [
    ...Object.entries(e?.metadata ?? {}).map(([k, v]) => [k, v] as [string, string]),
    ...parseMetadataFilters(flags.metadata ?? []),
  ];
  let traceDb = flags.traceDb ?? e?.trace_db;
  if (traceDb === undefined && FALSE.test(env.TASKAPP_TRACING_ENABLED?.trim() ?? '')) traceDb = 'none';
  const backendFromEnv = env.SYNTH_BASE_URL && env.SYNTH_API_KEY ? env.SYNTH_BASE_URL : undefined;
  return {
    appId,
    url: flags.url ?? e?.task_app_url ?? pl?.task_app_url ?? null,
    envName: e?.env_name ?? pl?.env_name ?? appId,
    seeds,
    split:
      flags.split ??
      e?.split ??
      (typeof e?.env_config?.split === 'string' ? e.env_config.split : undefined) ??
      'train',
    policy: {
      policy: policyName,
      model: flags.model ?? e?.model,
      policyConfig,
    },
    envConfig: { ...((e?.env_config ?? pl?.env_config ?? {}) as JsonObject) },
    ops: e?.ops ? [...e.ops] : null,
    concurrency,
    timeoutMs: timeoutS === undefined ? null : timeoutS * 1000,
    traceDb,
    tracesDir: flags.tracesDir ?? null,
    outputJson: flags.outputJson ?? null,
    outputTxt: flags.outputTxt ?? null,
    metadata,
    metadataSql: flags.metadataSql ?? e?.metadata_sql ?? null,
    resume: flags.resume === true,
    runId: flags.runId,
    judge: judgeSettings(e?.judges ?? [], flags.judge === true),
    backend: flags.backend ?? backendFromEnv ?? null,
    pollIntervalMs: (positive(flags.pollInterval, '--poll-interval', false) ?? 2) * 1000,
  };
}

/** The judges to run, in config order; `flag` is `--judge`. */
function judgeSettings(configured: readonly ResolvedJudge[], flag: boolean): EvalJudgeSettings[] | null {
  // --judge keeps its one-judge meaning: it forces the first judge on (its enabled = false included).
  const on = configured.filter((judge, index) => judge.enabled || (flag && index === 0));
  if (on.length === 0) return flag ? [{ enabled: true }] : null;
  return on.map((judge) => ({
    enabled: true,
    // An unnamed [eval.judge] is "primary" in the config, a key judge_metadata keeps for the top-level
    // score: it takes its kind's name instead (llm, verifier or rubric).
    name: judge === configured[0] && judge.name === MAIN_JUDGE_NAME ? undefined : judge.name,
    provider: judge.provider,
    model: judge.model,
    api_key_env: judge.api_key_env,
    inference_url: judge.base_url,
    rubric_id: judge.rubric_id,
    event: judge.event,
    outcome: judge.outcome,
    timeout_s: judge.timeout_s,
    temperature: judge.temperature,
    max_tokens: judge.max_tokens,
    sample_rate: judge.sample_rate,
    concurrency: judge.concurrency,
  }));
}
