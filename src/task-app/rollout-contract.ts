/**
 * The rollout request and response of the task app HTTP contract (synth-ai-reference §1), as zod schemas.
 * Both the server and the client validate with these, so a shape drift fails loudly on either side.
 * Objects are loose where synth-ai's newer versions add fields, so a newer client still validates.
 * @module
 */
import { z } from 'zod';

const jsonRecord = z.record(z.string(), z.unknown());

/** A seed: a non-negative safe integer (apps map it onto their dataset or world generator). */
export const SeedSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** One rollout op: `agent`/`env` (and synth-ai's aliases) as a string or `{type}` / `{op}` object. */
export const RolloutOpSchema = z.union([z.string(), jsonRecord]);

export const RolloutEnvSpecSchema = z.looseObject({
  env_id: z.string().optional(),
  env_name: z.string().optional(),
  config: jsonRecord.default({}),
  seed: SeedSchema.optional(),
});

export const RolloutPolicySpecSchema = z.looseObject({
  policy_id: z.string().optional(),
  policy_name: z.string().optional(),
  config: jsonRecord.default({}),
});

export const TraceFormatSchema = z.enum(['compact', 'full', 'structured']);
export type TraceFormat = z.infer<typeof TraceFormatSchema>;

export const RolloutRecordConfigSchema = z.looseObject({
  trajectories: z.boolean().default(true),
  logprobs: z.boolean().default(false),
  value: z.boolean().default(false),
  return_trace: z.boolean().default(false),
  trace_format: TraceFormatSchema.default('compact'),
});

export const RolloutSafetyConfigSchema = z.looseObject({
  max_ops: z.number().int().positive().default(100_000),
  max_time_s: z.number().positive().default(3600),
});

/** `POST /rollout` body. */
export const RolloutRequestSchema = z.looseObject({
  run_id: z.string().min(1),
  env: RolloutEnvSpecSchema,
  policy: RolloutPolicySpecSchema,
  ops: z.array(RolloutOpSchema).default([]),
  record: RolloutRecordConfigSchema.default({
    trajectories: true,
    logprobs: false,
    value: false,
    return_trace: false,
    trace_format: 'compact',
  }),
  on_done: z.enum(['reset', 'terminate']).default('reset'),
  safety: RolloutSafetyConfigSchema.default({ max_ops: 100_000, max_time_s: 3600 }),
  training_session_id: z.string().optional(),
  synth_base_url: z.string().optional(),
  mode: z.enum(['rl', 'eval']).optional(),
});

/** A rollout request after defaults are applied (what the server works with). */
export type RolloutRequest = z.infer<typeof RolloutRequestSchema>;
/** A rollout request as a caller writes it (defaults may be left out). */
export type RolloutRequestInput = z.input<typeof RolloutRequestSchema>;

export const RolloutStepSchema = z.looseObject({
  obs: jsonRecord.default({}),
  tool_calls: z.array(jsonRecord).default([]),
  reward: z.number().nullable().optional(),
  done: z.boolean().default(false),
  truncated: z.boolean().nullable().optional(),
  info: jsonRecord.nullable().optional(),
});
export type RolloutStep = z.infer<typeof RolloutStepSchema>;

export const RolloutTrajectorySchema = z.looseObject({
  env_id: z.string(),
  policy_id: z.string(),
  steps: z.array(RolloutStepSchema),
  final: jsonRecord.nullable().optional(),
  length: z.number().int().min(0),
});
export type RolloutTrajectory = z.infer<typeof RolloutTrajectorySchema>;

export const RolloutMetricsSchema = z.looseObject({
  episode_returns: z.array(z.number()),
  mean_return: z.number(),
  num_steps: z.number().int().min(0),
  num_episodes: z.number().int().min(0).default(0),
  outcome_score: z.number().nullable().optional(),
  events_score: z.number().nullable().optional(),
  details: jsonRecord.default({}),
});
export type RolloutMetrics = z.infer<typeof RolloutMetricsSchema>;

/** `POST /rollout` answer. `trace` is the compact or full session trace when one was asked for. */
export const RolloutResponseSchema = z.looseObject({
  run_id: z.string(),
  trajectories: z.array(RolloutTrajectorySchema),
  branches: jsonRecord.default({}),
  metrics: RolloutMetricsSchema,
  aborted: z.boolean().default(false),
  ops_executed: z.number().int().min(0).default(0),
  trace: jsonRecord.nullable().optional(),
});
export type RolloutResponse = z.infer<typeof RolloutResponseSchema>;
