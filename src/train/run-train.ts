/**
 * `synth-ai train` as a library: SFT through any trainer, and RL with judge rewards through the loop with
 * the local trainer. The command only parses flags and calls these.
 * @module
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { getTaskApp } from '../apps/registry.ts';
import type { ResolvedRlConfig } from '../config/schemas/rl.ts';
import { UsageError } from '../errors.ts';
import { createJudgeFromSettings } from '../judge/create-judge.ts';
import { createRubricRegistry } from '../judge/rubric-registry.ts';
import { runRlLoop } from '../rl/loop.ts';
import { appendMetrics, type IterationMetrics } from '../rl/metrics.ts';
import { renderTrainingPlot } from '../rl/plot.ts';
import type { TaskApp } from '../task-app/define.ts';
import { type ActionSpace, actionSpaceFromTools } from './local/action-space.ts';
import { evaluateLocalModel, type LocalEvaluation } from './local/evaluate-local.ts';
import { createLocalRlRuntime } from './local/local-rl.ts';
import { type SftExample, trainSft } from './local/sft.ts';
import { SoftmaxModel } from './local/softmax-model.ts';
import { localTrainerWarnings, rlSettings } from './rl-settings.ts';

/** The tool schema of an environment app, read from one fresh environment. */
export async function actionSpaceOfApp(app: TaskApp): Promise<ActionSpace> {
  if (!('environment' in app) || !app.environment) {
    throw new UsageError(`task app ${app.id} runs its own rollouts`, {
      hint: 'the local trainer needs an environment app',
    });
  }
  const environment = await app.environment({ seed: 0, split: 'train', config: {} });
  const space = actionSpaceFromTools(environment.tools);
  await environment.close?.();
  if (!space)
    throw new UsageError(`task app ${app.id} has no tool with an enum argument`, {
      hint: 'use an LLM trainer',
    });
  return space;
}

/** Reads a JSONL dataset line by line; a bad line is a usage error naming it. */
export async function readSftDataset(path: string): Promise<SftExample[]> {
  if (!existsSync(path))
    throw new UsageError(`dataset ${path} does not exist`, {
      hint: 'pass --dataset FILE.jsonl (write one with synth-ai filter)',
    });
  const examples: SftExample[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber++;
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as SftExample;
      if (!Array.isArray(parsed.messages)) throw new Error('no "messages" array');
      examples.push(parsed);
    } catch (error) {
      throw new UsageError(`${path}:${lineNumber} is not a chat example (${(error as Error).message})`, {
        hint: 'check it with synth-ai filter --validate',
      });
    }
  }
  return examples;
}

/** Loads a checkpoint written by the local trainer (`{model}` or a bare model state). */
export function loadLocalCheckpoint(path: string): SoftmaxModel {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    return SoftmaxModel.fromJSON(parsed.model ?? parsed);
  } catch (error) {
    throw new UsageError(`checkpoint ${path} cannot be loaded (${(error as Error).message})`, {
      hint: 'pass a checkpoint written by synth-ai train with the local trainer',
    });
  }
}

export interface LocalSftOptions {
  appId: string;
  datasetPath: string;
  outDir: string;
  epochs?: number;
  learningRate?: number;
  /** Held-out seeds to evaluate the trained policy on. */
  evalSeeds?: number[];
  maxTurns?: number;
  log: (line: string) => void;
}

export interface LocalSftResult {
  checkpointPath: string;
  samples: number;
  losses: number[];
  evaluation: LocalEvaluation | null;
}

/** SFT of the local softmax policy on a dataset, then a greedy evaluation on held-out seeds. */
export async function runLocalSft(options: LocalSftOptions): Promise<LocalSftResult> {
  const app = getTaskApp(options.appId);
  const space = await actionSpaceOfApp(app);
  const examples = await readSftDataset(options.datasetPath);
  const result = trainSft(examples, {
    space,
    epochs: options.epochs ?? 6,
    learningRate: options.learningRate ?? 0.5,
  });
  if (result.samples === 0) {
    throw new UsageError(
      `${options.datasetPath} has no assistant tool calls of ${space.toolName} to learn from`,
      {
        hint: `train on traces of ${app.id}`,
      },
    );
  }
  options.log(
    `SFT on ${result.samples} decisions from ${examples.length} examples (${result.skipped} skipped): loss ${result.losses[0]!.toFixed(3)} -> ${result.losses.at(-1)!.toFixed(3)}`,
  );
  mkdirSync(options.outDir, { recursive: true });
  const checkpointPath = join(options.outDir, 'sft-checkpoint.json');
  writeFileSync(checkpointPath, JSON.stringify({ app: app.id, model: result.model.toJSON() }));
  let evaluation: LocalEvaluation | null = null;
  if (options.evalSeeds?.length) {
    evaluation = await evaluateLocalModel({
      app,
      model: result.model,
      seeds: options.evalSeeds,
      maxTurns: options.maxTurns ?? 50,
    });
    options.log(
      `Evaluated on ${evaluation.seeds.length} held-out seeds: mean_return=${evaluation.meanReturn.toFixed(3)}, mean_achievements=${evaluation.meanAchievements.toFixed(2)}`,
    );
  }
  return { checkpointPath, samples: result.samples, losses: result.losses, evaluation };
}

export interface LocalRlOptions {
  rl: ResolvedRlConfig;
  outDir: string;
  appId?: string;
  iterations?: number;
  /** Start from this checkpoint (for example the SFT one). */
  initCheckpoint?: string;
  learningRate?: number;
  /** Continue a run in `outDir` from its last checkpoint (the iteration after it). */
  resume?: boolean;
  env?: Record<string, string | undefined>;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** The iterations a previous run in `metricsPath` finished, each with its checkpoint. */
function previousIterations(metricsPath: string): IterationMetrics[] {
  if (!existsSync(metricsPath)) return [];
  return readFileSync(metricsPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as IterationMetrics)
    .filter((m) => m.checkpoint && existsSync(m.checkpoint));
}

export interface LocalRlResult {
  metrics: IterationMetrics[];
  metricsPath: string;
  plotPath: string;
  checkpointDir: string;
  model: SoftmaxModel;
}

/** RL with judge rewards on a built-in app, with the local trainer. */
export async function runLocalRl(options: LocalRlOptions): Promise<LocalRlResult> {
  const settings = rlSettings(options.rl, { appId: options.appId, iterations: options.iterations });
  for (const warning of localTrainerWarnings(options.rl)) options.log(`warning: ${warning}`);
  const app = getTaskApp(settings.appId);
  const space = await actionSpaceOfApp(app);
  const metricsPath = join(options.outDir, 'metrics.jsonl');
  const previous = options.resume ? previousIterations(metricsPath) : [];
  const resumeFrom = previous.at(-1);
  if (options.resume && !resumeFrom) {
    throw new UsageError(`nothing to resume in ${options.outDir}: no finished iteration with a checkpoint`, {
      hint: 'run without --resume, or point --output at the earlier run',
    });
  }
  const model = resumeFrom
    ? loadLocalCheckpoint(resumeFrom.checkpoint!)
    : options.initCheckpoint
      ? loadLocalCheckpoint(options.initCheckpoint)
      : new SoftmaxModel(space.labels, 4096);
  if (resumeFrom)
    options.log(`Resuming after iteration ${resumeFrom.iteration} from ${resumeFrom.checkpoint}`);
  const judgeConfig = options.rl.judge;
  let judge = null;
  let judgeInfo = null;
  if (settings.judgeEnabled && judgeConfig) {
    const registry = createRubricRegistry();
    const rubric = registry.get(judgeConfig.rubric_id ?? app.id.replace(/^grpo-/, ''));
    const built = createJudgeFromSettings(
      {
        enabled: true,
        provider: judgeConfig.provider!,
        model: judgeConfig.model,
        apiKeyEnv: judgeConfig.api_key_env,
        baseURL: judgeConfig.base_url,
        outcome: judgeConfig.outcome,
        event: judgeConfig.event,
        timeoutMs: judgeConfig.timeout_s ? judgeConfig.timeout_s * 1000 : undefined,
      },
      rubric,
      { env: options.env ?? process.env },
    );
    judge = { judge: built, rubric: rubric.rubric };
    judgeInfo = {
      policy: options.rl.rollout?.policy_name ?? 'local',
      provider: judgeConfig.provider!,
      model: judgeConfig.model ?? built.description,
    };
  }
  const checkpointDir = join(options.outDir, 'checkpoints');
  const plotPath = join(options.outDir, 'training.html');
  mkdirSync(options.outDir, { recursive: true });
  // Keep only the iterations this run continues from (a resumed run may have died mid-iteration).
  writeFileSync(metricsPath, previous.map((m) => `${JSON.stringify(m)}\n`).join(''));
  const runtime = await createLocalRlRuntime({
    app,
    model,
    space,
    judge,
    maxTurns: settings.maxTurns,
    envConfig: (options.rl.rollout?.env_config ?? {}) as Record<string, never>,
    learningRate: options.learningRate ?? 0.5,
    variety: settings.variety,
    checkpointDir,
    stepRewards: settings.stepRewards,
  });
  const seedsPerBatch = settings.episodesPerBatch;
  try {
    const metrics = await runRlLoop(runtime.deps, {
      iterations: settings.iterations,
      seedsFor: (iteration) =>
        Array.from({ length: seedsPerBatch }, (_, i) => 1000 + iteration * seedsPerBatch + i),
      groupSize: settings.groupSize,
      maxConcurrentRollouts: settings.maxConcurrentRollouts,
      rewards: settings.rewards,
      sampleRate: settings.sampleRate,
      judgeTimeoutS: settings.judgeTimeoutS,
      asyncPipeline: settings.asyncPipeline,
      judgeConcurrency: settings.judgeConcurrency,
      evaluation: settings.evaluation,
      judgeInfo,
      log: options.log,
      signal: options.signal,
      startIteration: resumeFrom ? resumeFrom.iteration + 1 : 0,
      onIteration: (m) => {
        appendMetrics(metricsPath, m);
      },
    });
    const all = [...previous, ...metrics];
    writeFileSync(plotPath, renderTrainingPlot(all, `synth-ai RL on ${app.id}`));
    return { metrics: all, metricsPath, plotPath, checkpointDir, model: runtime.model };
  } finally {
    await runtime.close();
  }
}
