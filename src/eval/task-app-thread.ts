/**
 * Runs a temporary task app on a worker thread: the app's environment steps, policy calls and trace
 * building then use another core than eval's own rollout bookkeeping, judging and trace storage. The app
 * listens on a loopback port like any task app; eval's own requests reach the same handler as messages
 * (`fetch` below), which skips the loopback socket and HTTP parsing on both sides.
 * @module
 */
import type { Worker } from 'node:worker_threads';
import { SynthError, UsageError } from '../errors.ts';
import { startModuleWorker } from '../threads/start-module-worker.ts';
import type { FromTaskAppThread, TaskAppThreadData, ToTaskAppThread } from './task-app-thread-protocol.ts';

/** A task app served from its own thread. */
export interface TaskAppThread {
  readonly url: string;
  readonly port: number;
  /** A fetch that reaches the app's handler through the thread, for the task-app client. */
  readonly fetch: typeof fetch;
  close(): Promise<void>;
}

type Pending = { resolve: (r: Response) => void; reject: (e: unknown) => void };

/** Starts the thread and resolves once the app listens. */
export function startTaskAppThread(
  data: TaskAppThreadData,
  onLog: (line: string) => void,
): Promise<TaskAppThread> {
  const worker: Worker = startModuleWorker(import.meta.url, './task-app-thread-entry', data);
  const send = (m: ToTaskAppThread) => worker.postMessage(m);
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let gone: Error | null = null;
  let closed: (() => void) | null = null;

  const fail = (error: Error) => {
    gone ??= error;
    // Shaped as fetch's own connection failure, so the client reports "cannot reach task app".
    for (const p of pending.values()) p.reject(new TypeError('fetch failed', { cause: gone }));
    pending.clear();
  };

  const threadFetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    if (gone) return Promise.reject(new TypeError('fetch failed', { cause: gone }));
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = nextId++;
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        pending.delete(id);
        send({ type: 'abort', id });
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      pending.set(id, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      send({
        type: 'request',
        id,
        method: init?.method ?? 'GET',
        url: String(input instanceof Request ? input.url : input),
        headers,
        ...(typeof init?.body === 'string' ? { body: init.body } : {}),
      });
    });
  }) as typeof fetch;

  return new Promise<TaskAppThread>((resolve, reject) => {
    worker.on('message', (m: FromTaskAppThread) => {
      switch (m.type) {
        case 'log':
          return onLog(m.line);
        case 'ready':
          return resolve({
            url: m.url,
            port: m.port,
            fetch: threadFetch,
            close: async () => {
              if (gone) return;
              await new Promise<void>((done) => {
                closed = done;
                send({ type: 'close' });
              });
              gone = new SynthError('the temporary task app was stopped');
              await worker.terminate();
            },
          });
        case 'failed':
          void worker.terminate();
          return reject(new UsageError(m.message, { hint: m.hint }));
        case 'response': {
          const p = pending.get(m.id);
          pending.delete(m.id);
          return p?.resolve(new Response(m.text, { status: m.status, headers: m.headers }));
        }
        case 'request-failed': {
          const p = pending.get(m.id);
          pending.delete(m.id);
          return p?.reject(new TypeError('fetch failed', { cause: new Error(m.message) }));
        }
        case 'closed':
          return closed?.();
      }
    });
    worker.on('error', (error) => {
      fail(error);
      reject(new SynthError(`the temporary task app thread failed: ${error.message}`, { cause: error }));
    });
    worker.on('exit', () => {
      fail(new SynthError('the temporary task app thread stopped'));
      reject(new SynthError('the temporary task app thread stopped before it started'));
    });
  });
}
