/**
 * `[eval]`: what `synth-ai eval` reads from a config file (seed 003's legacy form, seed 000's form with
 * `trace_db` and `[eval.judge]`, and the original's keys, synth-ai-reference §3).
 * @module
 */
import { z } from 'zod';
import {
  type DeepReadonly,
  isTable,
  looseTable,
  positiveInt,
  positiveNumber,
  type Report,
  seedsField,
  stringList,
  table,
  withRules,
} from './common.ts';
import {
  checkJudgeNames,
  evalJudgeListSchema,
  evalJudgeTableSchema,
  resolveEvalJudges,
} from './eval-judges.ts';
import {
  evalPolicySchema,
  mergePolicyConfig,
  policyConfigSchema,
  policyOverrideShape,
} from './eval-policy.ts';
import { hasJudgeFields, type ResolvedJudge } from './judge.ts';

/** Trace formats a task app can return. */
export const TRACE_FORMATS = ['compact', 'full', 'structured'] as const;

const evalShape = {
  /** The task app, for example `grpo-crafter` or `banking77`. */
  app_id: z.string().min(1).optional(),
  /** The policy model; `policy_config.model` and `[eval.policy] model` are read when this is absent. */
  model: z.string().min(1).optional(),
  /** A list, an integer, or `"0,5,9"` / `"1-100"` / `"1-3,7"`. */
  seeds: seedsField().optional(),
  /** URL of a running task app; when absent the CLI starts one. */
  task_app_url: z.string().min(1).optional(),
  /** Same as `task_app_url` (seed 003). */
  url: z.string().min(1).optional(),
  /** Dataset split to request (`train`, `test`, ...). */
  split: z.string().min(1).optional(),
  max_turns: positiveInt().optional(),
  /** @default 10 */
  max_llm_calls: positiveInt().optional(),
  /** Rollouts at once. @default 1 */
  concurrency: positiveInt().optional(),
  /** Same as `concurrency` (the later command's spelling). */
  max_concurrent: positiveInt().optional(),
  env_name: z.string().min(1).optional(),
  policy_name: z.string().min(1).optional(),
  trace_format: z.enum(TRACE_FORMATS).optional(),
  /** @default true */
  return_trace: z.boolean().optional(),
  ops: stringList().optional(),
  /** Passed to the environment with each rollout. */
  env_config: looseTable().optional(),
  policy_config: policyConfigSchema.optional(),
  /** Task metadata filters, `key = value` (matched case-insensitively). */
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** A read-only SQL query over the task metadata returning the seeds; also `{ query = ... }` or `{ sql = ... }`. */
  metadata_sql: z
    .union([
      z.string().min(1),
      table({ query: z.string().min(1).optional(), sql: z.string().min(1).optional() }),
    ])
    .optional(),
  /** Env files to load, relative to the config file; `--env-file` files load after them and win. */
  env_file: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  /** Seconds before one rollout is cancelled. */
  timeout: positiveNumber().optional(),
  /** Trace store: a path, `sqlite+aiosqlite:///abs/path`, `libsql://...`, or `none`. */
  trace_db: z.string().min(1).optional(),
  policy: evalPolicySchema.optional(),
  judge: evalJudgeTableSchema.optional(),
  judges: evalJudgeListSchema.optional(),
  ...policyOverrideShape,
};

function checkEval(value: Record<string, unknown>, report: Report): void {
  const same = (a: string, b: string) => {
    if (value[a] !== undefined && value[b] !== undefined && value[a] !== value[b]) {
      report(
        [b],
        `${b} (${JSON.stringify(value[b])}) disagrees with ${a} (${JSON.stringify(value[a])}); keep one`,
      );
    }
  };
  same('task_app_url', 'url');
  same('concurrency', 'max_concurrent');
  const models = [
    ['model', value.model],
    ['policy.model', isTable(value.policy) ? value.policy.model : undefined],
    ['policy_config.model', isTable(value.policy_config) ? value.policy_config.model : undefined],
  ].filter(([, m]) => typeof m === 'string') as [string, string][];
  const first = models[0];
  for (const [where, model] of models.slice(1)) {
    if (first && model !== first[1]) {
      report(where.split('.'), `${where} "${model}" disagrees with ${first[0]} "${first[1]}"; keep one`);
    }
  }
  const sql = value.metadata_sql;
  if (isTable(sql) && (sql.query === undefined) === (sql.sql === undefined)) {
    report(['metadata_sql'], 'metadata_sql as a table needs exactly one of query or sql');
  }
  checkJudgeNames(value, report);
}

/** The `[eval]` table as written. */
export const evalTableSchema = withRules(table(evalShape), checkEval);

/** `[eval]` validated and resolved: aliases folded, defaults applied, judges listed, policy merged. */
export const evalSchema = evalTableSchema.transform((e) => {
  const sql = e.metadata_sql;
  const judges: ResolvedJudge[] = resolveEvalJudges(e.judge, e.judges);
  return {
    app_id: e.app_id,
    model: e.model ?? e.policy?.model ?? e.policy_config?.model,
    seeds: e.seeds,
    task_app_url: e.task_app_url ?? e.url,
    split: e.split,
    max_turns: e.max_turns,
    max_llm_calls: e.max_llm_calls ?? 10,
    concurrency: e.concurrency ?? e.max_concurrent ?? 1,
    env_name: e.env_name,
    policy_name: e.policy_name ?? e.policy?.policy_name,
    trace_format: e.trace_format,
    return_trace: e.return_trace ?? true,
    ops: e.ops,
    env_config: e.env_config ?? {},
    /** Overrides, then `[eval.policy]`, then `[eval.policy_config]` (which wins). */
    policy_config: mergePolicyConfig(e, e.policy, e.policy_config),
    metadata: Object.fromEntries(Object.entries(e.metadata ?? {}).map(([k, v]) => [k, String(v)])),
    metadata_sql: typeof sql === 'string' ? sql : (sql?.query ?? sql?.sql),
    env_file: e.env_file === undefined ? [] : typeof e.env_file === 'string' ? [e.env_file] : e.env_file,
    timeout: e.timeout,
    trace_db: e.trace_db,
    /** The judge written directly in `[eval.judge]`, if any. */
    judge: e.judge && hasJudgeFields(e.judge) ? judges[0] : undefined,
    judges,
  };
});

/** `[eval]` as written: every key optional. */
export type WrittenEvalConfig = z.input<typeof evalSchema>;
/** `[eval]` resolved: complete and readonly. */
export type ResolvedEvalConfig = DeepReadonly<z.output<typeof evalSchema>>;
