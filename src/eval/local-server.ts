import { randomBytes } from 'node:crypto';
import { getTaskApp, taskAppSource } from '../apps/registry.ts';
import { UsageError } from '../errors.ts';
import { createLlmPolicy } from '../policies/llm-policy.ts';
import type { TaskApp } from '../task-app/define.ts';
import type { LlmPolicyFactory } from '../task-app/policy-resolver.ts';
import { startTaskAppServer } from '../task-app/start-server.ts';
import { startTaskAppThread } from './task-app-thread.ts';

/** A task app served on loopback for the length of one eval run. */
export interface LocalTaskApp {
  readonly url: string;
  readonly port: number;
  /** The random key injected for this server only; never printed. */
  readonly apiKey: string;
  readonly app: TaskApp;
  /** Reaches the app's handler without the loopback socket (in this thread, or through the app's own). */
  readonly fetch: typeof fetch;
  /** Whether the app runs on a thread of its own. */
  readonly onThread: boolean;
  close(): Promise<void>;
}

/** Finds a built-in or registered task app by id or alias; a usage error listing the known ids otherwise. */
export async function findTaskApp(appId: string): Promise<TaskApp> {
  return getTaskApp(appId);
}

/** Finds an app without throwing (null for an app only reachable by URL). */
export async function tryFindTaskApp(appId: string): Promise<TaskApp | null> {
  try {
    return getTaskApp(appId);
  } catch {
    return null;
  }
}

/**
 * Starts a built-in or registered task app on a free loopback port with a fresh random
 * ENVIRONMENT_API_KEY. With `thread`, it runs on a thread of its own when it can be loaded there (a
 * built-in app, or one registered from a module) and no custom LLM policy factory is given; otherwise in
 * this thread.
 * `onLog` receives the lifecycle lines ("Starting temporary … server on port N...").
 */
export async function startLocalTaskApp(
  appId: string,
  options: { onLog?: (line: string) => void; llmPolicy?: LlmPolicyFactory; thread?: boolean } = {},
): Promise<LocalTaskApp> {
  const app = await findTaskApp(appId);
  const log = options.onLog ?? (() => {});
  const apiKey = `sk_env_${randomBytes(24).toString('hex')}`;
  const source = taskAppSource(app);
  const threaded = options.thread === true && !options.llmPolicy && source !== null;
  const thread = threaded
    ? await startTaskAppThread(
        { appId: app.id, modules: source.kind === 'module' ? [source.path] : [], apiKey },
        (line) => log(line),
      )
    : null;
  const inline = thread
    ? null
    : await startTaskAppServer(app, {
        port: 0,
        host: '127.0.0.1',
        apiKeys: [apiKey],
        tracing: true,
        llmPolicy: options.llmPolicy ?? ((o) => createLlmPolicy(o)),
        log: (line) => log(line),
      });
  const server = (thread ?? inline) as { url: string; port: number; close(): Promise<void> };
  // Eval's own calls go to the app's handler directly (or through its thread): same routes, auth,
  // validation and JSON as over the port, without a loopback socket and HTTP parsing on both ends.
  const direct: typeof fetch =
    thread?.fetch ??
    (async (input, init) => inline!.fetch(new Request(input as string | URL | Request, init)));
  log(`Starting temporary ${appId} server on port ${server.port}...`);
  log('Waiting for server to start...');
  const health = await fetch(`${server.url}/health`, { headers: { 'x-api-key': apiKey } }).catch(() => null);
  if (!health?.ok) {
    await server.close();
    throw new UsageError(`temporary ${appId} server did not answer its health check`, {
      hint: 'rerun with --verbose, or start the app yourself and pass --url',
    });
  }
  log(' Server started');
  let closing: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    apiKey,
    app,
    fetch: direct,
    onThread: thread !== null,
    close() {
      closing ??= (async () => {
        log('Stopping temporary server...');
        await server.close();
      })();
      return closing;
    },
  };
}
