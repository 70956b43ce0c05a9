/**
 * The thread of a temporary task app: it serves the app on a loopback port, as any task app is served,
 * and also answers eval's own requests passed in as messages, through the same handler (routes, auth,
 * validation, JSON), without a socket in between.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getTaskApp, registerTaskAppModule } from '../apps/registry.ts';
import { SynthError } from '../errors.ts';
import { createLlmPolicy } from '../policies/llm-policy.ts';
import { type RunningTaskAppServer, startTaskAppServer } from '../task-app/start-server.ts';
import { workerPayload } from '../threads/start-module-worker.ts';
import type { FromTaskAppThread, TaskAppThreadData, ToTaskAppThread } from './task-app-thread-protocol.ts';

const port = parentPort;
if (!port) throw new Error('task-app-thread-entry runs only as a worker thread');
const post = (message: FromTaskAppThread) => port.postMessage(message);
const { appId, modules, apiKey } = workerPayload<TaskAppThreadData>(workerData);
const inFlight = new Map<number, AbortController>();

async function answer(server: RunningTaskAppServer, m: Extract<ToTaskAppThread, { type: 'request' }>) {
  const controller = new AbortController();
  inFlight.set(m.id, controller);
  try {
    const request = new Request(m.url, {
      method: m.method,
      headers: m.headers,
      body: m.body,
      signal: controller.signal,
    });
    const response = await server.fetch(request);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    post({ type: 'response', id: m.id, status: response.status, headers, text: await response.text() });
  } catch (error) {
    post({
      type: 'request-failed',
      id: m.id,
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    inFlight.delete(m.id);
  }
}

async function start(): Promise<RunningTaskAppServer> {
  for (const path of modules) await registerTaskAppModule(path, '/');
  return startTaskAppServer(getTaskApp(appId), {
    port: 0,
    host: '127.0.0.1',
    apiKeys: [apiKey],
    tracing: true,
    llmPolicy: (o) => createLlmPolicy(o),
    log: (line) => post({ type: 'log', line }),
  });
}

start().then(
  (server) => {
    port.on('message', (m: ToTaskAppThread) => {
      if (m.type === 'request') void answer(server, m);
      else if (m.type === 'abort') inFlight.get(m.id)?.abort();
      else if (m.type === 'close') void server.close().then(() => post({ type: 'closed' }));
    });
    post({ type: 'ready', url: server.url, port: server.port });
  },
  (error: unknown) =>
    post({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      hint: SynthError.isInstance(error) ? error.hint : undefined,
    }),
);
