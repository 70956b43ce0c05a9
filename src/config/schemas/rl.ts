/**
 * The RL config (seed 001 §9): top-level sections `[algorithm]`, `[services]`, `[model]`, `[compute]`,
 * `[topology]`, `[judge]`, `[rubric]`, `[rollout]`, `[training]`, `[evaluation]`.
 * @module
 */
import type { z } from 'zod';
import { type DeepReadonly, isTable, type Report } from './common.ts';
import { rlJudgeSchema } from './rl/judge.ts';
import { evaluationSchema, rolloutSchema } from './rl/rollout.ts';
import { deprecatedRubricKeys, resolveRubric, rubricSchema } from './rl/rubric.ts';
import { algorithmSchema, computeSchema, modelSchema, servicesSchema, topologySchema } from './rl/setup.ts';
import { trainingSchema } from './rl/training.ts';

export { COMBINE_MODES } from './rl/judge.ts';

/** The RL sections, each optional at the top of a config file. */
export const rlShape = {
  algorithm: algorithmSchema.optional(),
  services: servicesSchema.optional(),
  model: modelSchema.optional(),
  compute: computeSchema.optional(),
  topology: topologySchema.optional(),
  judge: rlJudgeSchema.optional(),
  rubric: rubricSchema.optional(),
  rollout: rolloutSchema.optional(),
  training: trainingSchema.optional(),
  evaluation: evaluationSchema.optional(),
};

/** The names of the RL sections. */
export const RL_SECTIONS = Object.keys(rlShape) as (keyof typeof rlShape)[];

type RlParts = { [K in keyof typeof rlShape]?: z.output<(typeof rlShape)[K]> };

/** Cross-section rules: the GPU split must fit the machine. */
export function checkRl(root: Record<string, unknown>, report: Report): void {
  const { topology, compute } = root;
  if (isTable(topology) && isTable(compute) && typeof compute.gpu_count === 'number') {
    const used = ['gpus_for_vllm', 'gpus_for_training', 'gpus_for_ref']
      .map((k) => topology[k])
      .reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
    const nodes = typeof compute.nodes === 'number' ? compute.nodes : 1;
    if (used > compute.gpu_count * nodes) {
      report(['topology'], `topology uses ${used} GPUs but compute has ${compute.gpu_count * nodes}`);
    }
  }
}

/** Resolves the RL sections: `[judge]` absent means no judging; `[rubric]` and `[training]` get defaults. */
export function resolveRl(parts: RlParts) {
  const t = parts.training ?? {};
  return {
    algorithm: parts.algorithm,
    services: parts.services,
    model: parts.model,
    compute: parts.compute,
    topology: parts.topology,
    judge: parts.judge,
    rubric: resolveRubric(parts.rubric),
    rollout: parts.rollout,
    training: {
      ...t,
      pipeline_async_enabled: t.pipeline_async_enabled ?? false,
      step_rewards_enabled: t.step_rewards_enabled ?? false,
    },
    evaluation: parts.evaluation && {
      ...parts.evaluation,
      instances: parts.evaluation.instances ?? parts.evaluation.seeds?.length,
    },
  };
}

/** The RL config resolved: complete and readonly. */
export type ResolvedRlConfig = DeepReadonly<ReturnType<typeof resolveRl>>;
/** The RL sections as written. */
export type WrittenRlConfig = { [K in keyof typeof rlShape]?: z.input<(typeof rlShape)[K]> };

/** A non-fatal remark on a config key. */
export interface ConfigWarning {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Remarks on written RL sections: deprecated keys and settings that cannot take effect. */
export function rlWarnings(root: Record<string, unknown>): ConfigWarning[] {
  const out: ConfigWarning[] = [];
  const warn = (path: (string | number)[], message: string) => out.push({ path, message });
  const judge = isTable(root.judge) ? root.judge : undefined;
  const options = judge && isTable(judge.options) ? judge.options : {};
  if (judge?.timeout_s !== undefined)
    warn(['judge', 'timeout_s'], 'judge.timeout_s is deprecated; use judge.options.timeout_s');
  for (const key of ['max_concurrency', 'tracks', 'weights']) {
    if (key in options) warn(['judge', 'options', key], `judge.options.${key} is deprecated and ignored`);
  }
  if (judge?.reward_blend !== undefined)
    warn(['judge', 'reward_blend'], 'judge.reward_blend is ignored; use [rubric.weights]');
  for (const key of deprecatedRubricKeys(root.rubric))
    warn(['rubric', key], `rubric.${key} is deprecated and ignored`);
  if (isTable(root.rubric) && root.rubric.enabled === true && !judge) {
    warn(['rubric', 'enabled'], 'rubric.enabled has no effect without a [judge] section');
  }
  if (judge) {
    for (const kind of ['event', 'outcome'] as const) {
      const weight = judge[`${kind}_weight`];
      const off = options[kind] === false || judge[kind] === false;
      if (typeof weight === 'number' && weight > 0 && off) {
        warn(['judge', `${kind}_weight`], `judge.${kind}_weight is ${weight} but ${kind} judging is off`);
      }
    }
  }
  const evaluation = isTable(root.evaluation) ? root.evaluation : undefined;
  if (evaluation && typeof evaluation.instances === 'number' && Array.isArray(evaluation.seeds)) {
    if (evaluation.instances > evaluation.seeds.length) {
      warn(
        ['evaluation', 'instances'],
        `evaluation.instances (${evaluation.instances}) is more than the ${evaluation.seeds.length} seeds given`,
      );
    }
  }
  return out;
}
