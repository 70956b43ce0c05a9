/**
 * Messages between the store and its writer thread.
 * @module
 */
import type { JudgeMetadata, SessionTrace } from '../types.ts';
import type { SessionRows } from './session-rows.ts';

/** What the thread is started with. */
export interface WriterThreadData {
  file: string;
  options: { maxBatch?: number; busyTimeoutMs: number };
}

/** One write (or the last message, `close`). */
export type WriterRequest =
  | { id: number; op: 'insert'; rows: SessionRows }
  /** A whole trace; the thread builds the rows. */
  | { id: number; op: 'insert-trace'; trace: SessionTrace }
  | { id: number; op: 'merge'; sessionId: string; verdict: JudgeMetadata }
  | { id: number; op: 'close' };

/** The answer to one request, with the thread's batch counts so far. */
export interface WriterReply {
  id: number;
  error?: { message: string; hint?: string; synth: boolean };
  stats: { batches: number; jobs: number };
}
