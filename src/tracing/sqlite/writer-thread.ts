/**
 * A StoreWriter that runs on a worker thread with its own connection, so building rows, inserting and
 * committing never take the calling thread's time: an eval's rollouts, judges and HTTP keep the main
 * thread, and the trace DB work runs beside them. Writes keep their order (one thread, one queue); each
 * promise settles after its batch commits there, so a read on the caller's connection afterwards sees it.
 * The thread starts on the first write, so a store only read from never starts one.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { SynthError } from '../../errors.ts';
import { startModuleWorker } from '../../threads/start-module-worker.ts';
import { buildSessionRows } from './session-rows.ts';
import type { StoreWriter } from './store-writer.ts';
import type { WriterReply, WriterRequest, WriterThreadData } from './writer-thread-protocol.ts';

/** The writer, plus stopping its thread. */
export interface ThreadStoreWriter extends StoreWriter {
  /** Waits for every write, then closes the thread's connection and ends the thread. */
  close(): Promise<void>;
}

// Omit<> over a union would merge its members; distribute it so each op keeps its own fields.
type WriterRequestBody = WriterRequest extends infer R
  ? R extends WriterRequest
    ? Omit<R, 'id'>
    : never
  : never;
type Settle = { resolve: () => void; reject: (error: unknown) => void };

function rebuild(error: NonNullable<WriterReply['error']>): Error {
  return error.synth ? new SynthError(error.message, { hint: error.hint }) : new Error(error.message);
}

/** A writer for the migrated DB at `file`, on a thread of its own. */
export function createThreadStoreWriter(
  file: string,
  options: WriterThreadData['options'],
): ThreadStoreWriter {
  let worker: Worker | null = null;
  let nextId = 0;
  let broken: Error | null = null;
  const waiting = new Map<number, Settle>();
  let idle: Array<() => void> = [];
  let stats = { batches: 0, jobs: 0 };

  const settleIdle = () => {
    if (waiting.size > 0) return;
    // An idle writer must not keep the process alive; while a write is pending it does.
    worker?.unref();
    const waiters = idle;
    idle = [];
    for (const w of waiters) w();
  };
  const fail = (error: Error) => {
    broken ??= error;
    for (const s of waiting.values()) s.reject(broken);
    waiting.clear();
    settleIdle();
  };
  const thread = () => {
    if (worker) return worker;
    const data: WriterThreadData = { file, options };
    worker = startModuleWorker(import.meta.url, './writer-thread-entry', data);
    worker.on('message', (reply: WriterReply) => {
      stats = reply.stats;
      const s = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error) s?.reject(rebuild(reply.error));
      else s?.resolve();
      settleIdle();
    });
    worker.on('error', (error) =>
      fail(new SynthError(`the trace writer thread failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', () => fail(new SynthError('the trace writer thread stopped')));
    return worker;
  };
  const send = (request: WriterRequestBody): Promise<void> => {
    if (broken) return Promise.reject(broken);
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      const w = thread();
      try {
        w.postMessage({ ...request, id } as WriterRequest);
      } catch (error) {
        // Nothing was sent (a value the thread cannot receive): no answer will come for this id.
        reject(error);
        return;
      }
      waiting.set(id, { resolve, reject });
      w.ref();
    });
  };

  return {
    // The trace itself crosses, and the thread builds the rows, trace_data included. V8's serializer keeps
    // the objects a trace shares between its timesteps and histories shared (so the rows come out exactly as
    // inline), and a post costs the caller a third of JSON.stringify (Banking77 trace 23-28 vs 73-79 µs,
    // Crafter 0.6-0.8 vs 1.9-2.0 ms; eval's bench did not move measurably either way). A trace holding
    // something the serializer refuses (a function, say) goes as rows, as JSON would store it.
    async insertSession(trace) {
      try {
        await send({ op: 'insert-trace', trace });
      } catch (error) {
        if ((error as Error | null)?.name !== 'DataCloneError') throw error;
        await send({ op: 'insert', rows: buildSessionRows(trace) });
      }
    },
    insertRows: (rows) => send({ op: 'insert', rows }),
    mergeJudgeMetadata: (sessionId, verdict) => send({ op: 'merge', sessionId, verdict }),
    drain() {
      if (waiting.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    stats: () => stats,
    async close() {
      if (!worker || broken) return;
      await send({ op: 'close' });
      await worker.terminate();
    },
  };
}
