import { createReadStream, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { SynthError, UsageError } from '../../errors.ts';
import { redactKeys } from '../../inference/redact.ts';
import type { SftJobSpec, SftOutcome, Trainer, TrainerEvent, TrainerHooks } from '../trainer.ts';

export interface OpenAiTrainerOptions {
  apiKey: string;
  /** An OpenAI-compatible base URL (default the SDK's). */
  baseURL?: string;
  /** Seconds between status polls. */
  pollIntervalS?: number;
  /** Give up waiting after this many seconds (the job keeps running on the provider). */
  maxWaitS?: number;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * SFT through an OpenAI-compatible fine-tuning API: upload the JSONL (`purpose: fine-tune`), create the job,
 * and with `wait` poll its status and events until it ends.
 */
export function createOpenAiTrainer(options: OpenAiTrainerOptions): Trainer {
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 2 });
  const interval = (options.pollIntervalS ?? 5) * 1000;

  async function upload(path: string): Promise<string> {
    if (!existsSync(path))
      throw new UsageError(`dataset ${path} does not exist`, { hint: 'pass --dataset FILE.jsonl' });
    const file = await client.files.create({ file: createReadStream(path), purpose: 'fine-tune' });
    return file.id;
  }

  return {
    kind: 'openai',
    async sft(job: SftJobSpec, hooks: TrainerHooks = {}): Promise<SftOutcome> {
      const emit = (event: TrainerEvent) => hooks.onEvent?.(event);
      try {
        const trainingFile = await upload(job.datasetPath);
        emit({
          at: Date.now() / 1000,
          level: 'info',
          message: `uploaded ${job.datasetPath} as ${trainingFile}`,
        });
        const validationFile = job.validationPath ? await upload(job.validationPath) : undefined;
        const hp = job.hyperparameters ?? {};
        let current = await client.fineTuning.jobs.create({
          model: job.model,
          training_file: trainingFile,
          ...(validationFile ? { validation_file: validationFile } : {}),
          ...(job.suffix ? { suffix: job.suffix } : {}),
          method: {
            type: 'supervised',
            supervised: {
              hyperparameters: {
                ...(hp.epochs ? { n_epochs: hp.epochs } : {}),
                ...(hp.batchSize ? { batch_size: hp.batchSize } : {}),
                ...(hp.learningRate ? { learning_rate_multiplier: hp.learningRate } : {}),
              },
            },
          },
        });
        emit({
          at: Date.now() / 1000,
          level: 'info',
          message: `created fine-tuning job ${current.id} (${current.status})`,
        });
        if (!hooks.wait) return { status: 'running', model: null, jobId: current.id };

        const seen = new Set<string>();
        const deadline = Date.now() + (options.maxWaitS ?? 86_400) * 1000;
        while (!FINAL.has(current.status)) {
          if (hooks.signal?.aborted)
            return { status: 'running', model: null, jobId: current.id, error: 'stopped waiting' };
          if (Date.now() > deadline)
            return { status: 'running', model: null, jobId: current.id, error: 'gave up waiting' };
          await sleep(interval, undefined, { signal: hooks.signal }).catch(() => undefined);
          current = await client.fineTuning.jobs.retrieve(current.id);
          // Events after the status, so the last poll also prints the event that ended the job.
          const events = await client.fineTuning.jobs.listEvents(current.id, { limit: 50 });
          for (const event of [...events.data].reverse()) {
            if (seen.has(event.id)) continue;
            seen.add(event.id);
            emit({ at: event.created_at, level: event.level, message: event.message });
          }
        }
        return {
          status: current.status as SftOutcome['status'],
          model: current.fine_tuned_model ?? null,
          jobId: current.id,
          ...(current.error?.message ? { error: current.error.message } : {}),
        };
      } catch (error) {
        if (SynthError.isInstance(error)) throw error;
        if (error instanceof OpenAI.APIError) {
          const hint =
            error.status === 401 || error.status === 403
              ? 'check the API key named by api_key_env (OPENAI_API_KEY by default)'
              : 'check the dataset and the model name';
          throw new SynthError(
            `fine-tuning API answered ${error.status ?? 'with an error'}: ${redactKeys(error.message, [options.apiKey])}`,
            { hint },
          );
        }
        throw error;
      }
    },
  };
}
