/**
 * Builds `GET /info` and `GET /task_info` answers from a task app definition, validated by the contract.
 * @module
 */
import { SynthError } from '../errors.ts';
import type { JsonObject } from '../tracing/types.ts';
import type { TaskApp } from './define.ts';
import { TaskAppHttpError } from './http-error.ts';
import { type Info, InfoSchema, type TaskInfo, TaskInfoSchema } from './info-contract.ts';

function taskDescriptor(app: TaskApp): JsonObject {
  return { id: app.id, name: app.name, description: app.description, version: app.version ?? '0.1.0' };
}

function inference(app: TaskApp): JsonObject | null {
  if (!app.llm) return null;
  return { tool_choice: app.llm.toolChoice, supports_llm_policy: true };
}

/** `GET /info`. */
export function buildInfo(app: TaskApp, extra: { tracing: boolean }): Info {
  return InfoSchema.parse({
    service: { task: taskDescriptor(app), version: app.version ?? '0.1.0' },
    dataset: app.dataset ?? null,
    rubrics: app.rubrics ?? null,
    inference: inference(app),
    capabilities: {
      rollout: app.environment ? 'environment' : 'custom',
      policies: Object.keys(app.policies ?? {}),
      default_policy: app.defaultPolicy ?? null,
      tracing: extra.tracing,
      trace_formats: ['compact', 'full', 'structured'],
      ...(app.capabilities ?? {}),
    },
    limits: app.limits ?? null,
  });
}

/** `GET /task_info?seed=N`: the app's info for one seed, with the SDK's defaults filled in. */
export async function buildTaskInfo(app: TaskApp, seed: number): Promise<TaskInfo> {
  let partial: Partial<TaskInfo>;
  try {
    partial = await app.taskInfo(seed);
  } catch (cause) {
    if (cause instanceof TaskAppHttpError) throw cause;
    if (SynthError.isInstance(cause) && cause.exitCode === 2) {
      throw new TaskAppHttpError(422, 'invalid_seed', `seed ${seed}: ${cause.message}`, {
        hint: cause.hint,
        cause,
      });
    }
    throw cause;
  }
  const inferenceHints = inference(app);
  return TaskInfoSchema.parse({
    task: taskDescriptor(app),
    environment: app.id,
    rubric: app.rubrics ?? null,
    ...(inferenceHints ? { inference: inferenceHints } : {}),
    ...(app.limits ? { limits: app.limits } : {}),
    ...partial,
    task_metadata: { seed, ...(partial.task_metadata ?? {}) },
  });
}

/** Parses the repeatable `seed` / `seeds` query values (each may be comma-separated). */
export function parseSeedQuery(values: readonly string[]): number[] {
  const seeds: number[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const text = part.trim();
      if (!/^\d{1,15}$/.test(text)) {
        throw new TaskAppHttpError(
          400,
          'invalid_seed',
          `seed ${JSON.stringify(part)} is not a non-negative integer`,
          {
            hint: 'use ?seed=0&seed=1 or ?seeds=0,1,2',
          },
        );
      }
      seeds.push(Number(text));
    }
  }
  return seeds;
}
