/**
 * The writer thread: its own connection and group-commit queue, serving the store's write requests in order.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SynthError } from '../../errors.ts';
import { workerPayload } from '../../threads/start-module-worker.ts';
import { openDatabase } from './open-database.ts';
import { createStoreWriter } from './store-writer.ts';
import type { WriterReply, WriterRequest, WriterThreadData } from './writer-thread-protocol.ts';

const LINGER_MS = 5;

const { file, options } = workerPayload<WriterThreadData>(workerData);
const db = openDatabase(file, options.busyTimeoutMs);
// Requests arrive one message at a time, so a batch waits a few ms for company: a commit costs far more
// than a row, and the caller is not blocked meanwhile.
const writer = createStoreWriter(db, { maxBatch: options.maxBatch, lingerMs: LINGER_MS });
const port = parentPort;
if (!port) throw new Error('writer-thread-entry runs only as a worker thread');

function errorOf(error: unknown): WriterReply['error'] {
  if (SynthError.isInstance(error)) return { message: error.message, hint: error.hint, synth: true };
  return { message: error instanceof Error ? error.message : String(error), synth: false };
}

port.on('message', (request: WriterRequest) => {
  const reply = (error?: unknown) =>
    port.postMessage({
      id: request.id,
      ...(error === undefined ? {} : { error: errorOf(error) }),
      stats: writer.stats(),
    } satisfies WriterReply);
  if (request.op === 'close') {
    void writer.drain().then(() => {
      db.close();
      reply();
    });
    return;
  }
  const done =
    request.op === 'insert'
      ? writer.insertRows(request.rows)
      : request.op === 'insert-trace'
        ? writer.insertSession(request.trace)
        : writer.mergeJudgeMetadata(request.sessionId, request.verdict);
  done.then(
    () => reply(),
    (error: unknown) => reply(error ?? new Error('the write failed')),
  );
});
