/**
 * One interface for every trainer: the embedded local trainer, OpenAI-compatible fine-tuning, and GPU
 * trainers reached over HTTP. The `train` command and the RL loop only see this.
 * @module
 */

/** A line of progress from a trainer, printed by `--poll`. */
export interface TrainerEvent {
  /** Unix seconds. */
  at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface SftJobSpec {
  /** The JSONL dataset (chat fine-tuning format). */
  datasetPath: string;
  validationPath?: string;
  /** The base model (an OpenAI model id, or a local checkpoint path / app id for the local trainer). */
  model: string;
  suffix?: string;
  hyperparameters?: { epochs?: number; learningRate?: number; batchSize?: number };
}

export interface SftOutcome {
  status: 'succeeded' | 'failed' | 'cancelled' | 'running';
  /** The trained model: a fine-tuned model id, or a checkpoint path. */
  model: string | null;
  jobId: string;
  error?: string;
}

export interface TrainerHooks {
  onEvent?: (event: TrainerEvent) => void;
  signal?: AbortSignal;
  /** Wait for the job to end (`--poll`); otherwise return once it is created. */
  wait?: boolean;
}

/** What every trainer offers; RL is optional because hosted fine-tuning APIs have none. */
export interface Trainer {
  readonly kind: string;
  sft(job: SftJobSpec, hooks?: TrainerHooks): Promise<SftOutcome>;
}
