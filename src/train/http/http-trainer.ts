import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SynthError, UsageError } from '../../errors.ts';
import type { ChatMessage, ToolDefinition } from '../../tracing/types.ts';
import type { SftJobSpec, SftOutcome, Trainer, TrainerHooks } from '../trainer.ts';

/** A trajectory as the GPU trainer protocol carries it (docs/trainer-protocol.md). */
export interface ProtocolTrajectory {
  trajectory_id: string;
  group_id: string;
  seed: number;
  reward: number;
  advantage: number;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
}

export interface Checkpoint {
  id: string;
  inference_url: string;
  model: string;
}

export interface RlBatch {
  iteration: number;
  policy_version: string | null;
  hyperparameters: Record<string, number | string>;
  trajectories: ProtocolTrajectory[];
}

export interface RlStepResult {
  checkpoint: Checkpoint;
  metrics: Record<string, number>;
}

export interface HttpTrainerOptions {
  baseUrl: string;
  apiKey: string;
  pollIntervalS?: number;
  retries?: number;
  timeoutMs?: number;
}

/** A GPU trainer reached over HTTP: SFT jobs, and RL batches in exchange for new checkpoints. */
export interface HttpTrainer extends Trainer {
  rlStep(batch: RlBatch, hooks?: TrainerHooks): Promise<RlStepResult>;
}

export function createHttpTrainer(options: HttpTrainerOptions): HttpTrainer {
  const base = options.baseUrl.replace(/\/+$/, '');
  const interval = (options.pollIntervalS ?? 2) * 1000;

  async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.any([
            AbortSignal.timeout(options.timeoutMs ?? 60_000),
            ...(signal ? [signal] : []),
          ]),
        });
      } catch (cause) {
        if (attempt >= retries || signal?.aborted) {
          throw new SynthError(`trainer at ${base} cannot be reached (${(cause as Error).message})`, {
            hint: 'check the trainer URL and that it is running',
          });
        }
        await sleep(250 * 2 ** attempt);
        continue;
      }
      if (response.status >= 500 && attempt < retries) {
        await sleep(250 * 2 ** attempt);
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        const detail = text.slice(0, 300).split(options.apiKey).join('[redacted]');
        const hint =
          response.status === 401 || response.status === 403
            ? 'check the trainer API key'
            : 'see the trainer logs';
        throw new SynthError(`trainer answered ${response.status} to ${method} ${path}: ${detail}`, { hint });
      }
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new SynthError(`trainer answered ${method} ${path} with a body that is not JSON`, {
          hint: 'the trainer must speak docs/trainer-protocol.md',
        });
      }
    }
  }

  return {
    kind: 'http',
    async sft(job: SftJobSpec, hooks: TrainerHooks = {}): Promise<SftOutcome> {
      let examples: unknown[];
      try {
        examples = readFileSync(job.datasetPath, 'utf8')
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => JSON.parse(line));
      } catch (cause) {
        throw new UsageError(
          `dataset ${job.datasetPath} cannot be read as JSONL (${(cause as Error).message})`,
          {
            hint: 'pass --dataset with a file written by synth-ai filter',
          },
        );
      }
      const { job_id } = await call<{ job_id: string }>('POST', '/v1/sft/jobs', {
        model: job.model,
        hyperparameters: job.hyperparameters ?? {},
        examples,
      });
      if (!hooks.wait) return { status: 'running', model: null, jobId: job_id };
      let printed = 0;
      for (;;) {
        const state = await call<{
          status: string;
          checkpoint: Checkpoint | null;
          events?: { at: number; level: 'info' | 'warn' | 'error'; message: string }[];
          error?: string | null;
        }>('GET', `/v1/sft/jobs/${encodeURIComponent(job_id)}`, undefined, hooks.signal);
        for (const event of (state.events ?? []).slice(printed)) hooks.onEvent?.(event);
        printed = state.events?.length ?? printed;
        if (state.status === 'succeeded' || state.status === 'failed') {
          return {
            status: state.status,
            model: state.checkpoint?.model ?? null,
            jobId: job_id,
            ...(state.error ? { error: state.error } : {}),
          };
        }
        if (hooks.signal?.aborted)
          return { status: 'running', model: null, jobId: job_id, error: 'stopped waiting' };
        await sleep(interval);
      }
    },
    async rlStep(batch: RlBatch, hooks: TrainerHooks = {}): Promise<RlStepResult> {
      const { batch_id } = await call<{ batch_id: string }>('POST', '/v1/rl/batches', batch, hooks.signal);
      for (;;) {
        const state = await call<{
          status: string;
          checkpoint?: Checkpoint | null;
          metrics?: Record<string, number>;
          error?: string | null;
        }>('GET', `/v1/rl/batches/${encodeURIComponent(batch_id)}`, undefined, hooks.signal);
        if (state.status === 'done' && state.checkpoint)
          return { checkpoint: state.checkpoint, metrics: state.metrics ?? {} };
        if (state.status === 'failed') {
          throw new SynthError(`trainer failed batch ${batch_id}: ${state.error ?? 'no reason given'}`, {
            hint: 'see the trainer logs',
          });
        }
        await sleep(interval, undefined, { signal: hooks.signal });
      }
    },
  };
}
