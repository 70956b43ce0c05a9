import type { Command } from 'commander';
import { resolveApiKey } from '../config/api-key.ts';
import { loadConfig } from '../config/load-config.ts';
import { parseSeeds } from '../config/seeds.ts';
import { UsageError } from '../errors.ts';
import { createHttpTrainer } from '../train/http/http-trainer.ts';
import { createOpenAiTrainer } from '../train/openai/openai-trainer.ts';
import { runLocalRl, runLocalSft } from '../train/run-train.ts';
import type { Trainer } from '../train/trainer.ts';
import { type CommonOptions, loadCommonEnv, withCommonOptions } from './common.ts';

interface TrainFlags extends CommonOptions {
  type?: string;
  config?: string;
  dataset?: string;
  poll: boolean;
  trainer: string;
  app?: string;
  model?: string;
  output: string;
  iterations?: string;
  initCheckpoint?: string;
  evalSeeds?: string;
  epochs?: string;
  localLearningRate?: string;
  trainerUrl?: string;
  apiKeyEnv?: string;
  resume: boolean;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function runSft(flags: TrainFlags): Promise<void> {
  if (!flags.dataset)
    throw new UsageError('train --type sft needs a dataset', { hint: 'pass --dataset FILE.jsonl' });
  const config = flags.config ? loadConfig(flags.config, { envFiles: flags.envFile }) : undefined;
  for (const warning of config?.warnings ?? []) log(`warning: ${warning}`);
  const epochs = positiveNumber('--epochs', flags.epochs) ?? config?.rl?.training.num_epochs;
  if (flags.trainer === 'local') {
    const result = await runLocalSft({
      appId: flags.app ?? config?.rl?.rollout?.env_name ?? 'crafter',
      datasetPath: flags.dataset,
      outDir: flags.output,
      epochs,
      learningRate: positiveNumber('--local-learning-rate', flags.localLearningRate),
      evalSeeds: flags.evalSeeds ? parseSeeds(flags.evalSeeds, '--eval-seeds') : undefined,
      maxTurns: config?.rl?.rollout?.max_turns,
      log,
    });
    log(`Checkpoint -> ${result.checkpointPath}`);
    return;
  }
  const model = flags.model ?? config?.rl?.model?.base;
  if (!model)
    throw new UsageError('no base model to fine-tune', { hint: 'pass --model or set [model] base' });
  let trainer: Trainer;
  if (flags.trainer === 'openai') {
    const apiKey = resolveApiKey({ apiKeyEnv: flags.apiKeyEnv, provider: 'openai', purpose: 'fine-tuning' });
    trainer = createOpenAiTrainer({ apiKey, baseURL: process.env.OPENAI_BASE_URL });
  } else {
    if (!flags.trainerUrl)
      throw new UsageError('--trainer http needs --trainer-url', { hint: 'see docs/trainer-protocol.md' });
    const apiKey = resolveApiKey({
      apiKeyEnv: flags.apiKeyEnv ?? 'SYNTH_TRAINER_API_KEY',
      purpose: 'the trainer',
    });
    trainer = createHttpTrainer({ baseUrl: flags.trainerUrl, apiKey });
  }
  const outcome = await trainer.sft(
    { datasetPath: flags.dataset, model, hyperparameters: { epochs } },
    {
      wait: flags.poll,
      onEvent: (e) => log(`[${new Date(e.at * 1000).toISOString()}] ${e.level}: ${e.message}`),
    },
  );
  log(
    `Job ${outcome.jobId}: ${outcome.status}${outcome.model ? ` -> ${outcome.model}` : ''}${outcome.error ? ` (${outcome.error})` : ''}`,
  );
  if (outcome.status === 'failed' || outcome.status === 'cancelled') process.exitCode = 1;
  else if (!flags.poll) log('Not waiting for it: pass --poll to follow the job to the end.');
}

async function runRl(flags: TrainFlags): Promise<void> {
  if (!flags.config)
    throw new UsageError('train --type rl needs a config', {
      hint: 'pass --config rl.toml (seed 001 shows one)',
    });
  if (flags.trainer !== 'local') {
    throw new UsageError(`RL with --trainer ${flags.trainer} is not available yet`, {
      hint: 'use --trainer local; GPU trainers speak docs/trainer-protocol.md through createHttpTrainer in the library',
    });
  }
  const config = loadConfig(flags.config, { envFiles: flags.envFile });
  for (const warning of config.warnings) log(`warning: ${warning}`);
  if (!config.rl)
    throw new UsageError(`${config.displayPath} has no RL sections`, {
      hint: 'add [training], [rollout] and [judge] as seed 001 shows',
    });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const result = await runLocalRl({
      rl: config.rl,
      outDir: flags.output,
      appId: flags.app,
      iterations: positiveNumber('--iterations', flags.iterations),
      initCheckpoint: flags.initCheckpoint,
      learningRate: positiveNumber('--local-learning-rate', flags.localLearningRate),
      resume: flags.resume,
      env: config.env,
      log,
      signal: controller.signal,
    });
    log(`Metrics -> ${result.metricsPath}`);
    log(`Plot -> ${result.plotPath}`);
    log(`Checkpoints -> ${result.checkpointDir}`);
  } finally {
    process.off('SIGINT', stop);
  }
}

/** `synth-ai train --type sft|rl`: SFT through the local, OpenAI-compatible or HTTP trainer; RL with judge rewards. */
export function registerTrainCommand(program: Command): void {
  withCommonOptions(program.command('train').description('SFT on a dataset, or RL with judge rewards'))
    .option('--type <type>', 'sft or rl')
    .option('--config <path>', 'TOML config (seed 001 form for RL)')
    .option('--dataset <path>', 'JSONL dataset for SFT (written by synth-ai filter)')
    .option('--poll', 'wait for a remote job and print its events until it ends', false)
    .option('--trainer <kind>', 'local, openai or http', 'local')
    .option(
      '--app <id>',
      'task app whose action space the local trainer learns (default from [rollout] env_name, else crafter)',
    )
    .option('--model <id>', 'base model for remote SFT (default [model] base)')
    .option('--output <dir>', 'where checkpoints, metrics and plots go', 'synth-ai-out/train')
    .option('--iterations <n>', 'RL iterations (default num_epochs x iterations_per_epoch)')
    .option('--init-checkpoint <path>', 'start RL from a local checkpoint (for example the SFT one)')
    .option('--eval-seeds <seeds>', 'held-out seeds to evaluate a local SFT model on, e.g. 100-109')
    .option('--epochs <n>', 'SFT epochs')
    .option('--local-learning-rate <x>', 'step size of the local trainer (default 0.5)')
    .option('--trainer-url <url>', 'GPU trainer base URL (--trainer http)')
    .option('--api-key-env <name>', 'env var holding the trainer or provider key')
    .option('--resume', 'continue an RL run in --output from its last checkpoint', false)
    .action(async (flags: TrainFlags) => {
      loadCommonEnv(flags);
      if (flags.type !== 'sft' && flags.type !== 'rl') {
        throw new UsageError(
          `--type must be sft or rl, got ${flags.type === undefined ? 'nothing' : `"${flags.type}"`}`,
          {
            hint: 'synth-ai train --type sft --dataset data.jsonl, or --type rl --config rl.toml',
          },
        );
      }
      if (!['local', 'openai', 'http'].includes(flags.trainer)) {
        throw new UsageError(`--trainer must be local, openai or http, got "${flags.trainer}"`);
      }
      if (flags.type === 'sft') await runSft(flags);
      else await runRl(flags);
    });
}
