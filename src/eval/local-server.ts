import { randomBytes } from 'node:crypto';
import { getTaskApp } from '../apps/registry.ts';
import { UsageError } from '../errors.ts';
import { requestText } from '../inference/http-fetch.ts';
import { createLlmPolicy } from '../policies/llm-policy.ts';
import { checkRolloutInput, type TaskAppClient } from '../task-app/client.ts';
import type { TaskApp } from '../task-app/define.ts';
import { answeredError, errorBody, type TaskAppHttpError } from '../task-app/http-error.ts';
import type { LlmPolicyFactory } from '../task-app/policy-resolver.ts';
import { startTaskAppServer } from '../task-app/start-server.ts';

/** A task app served on loopback for the length of one eval run. */
export interface LocalTaskApp {
  readonly url: string;
  readonly port: number;
  /** The random key injected for this server only; never printed. */
  readonly apiKey: string;
  readonly app: TaskApp;
  /** Reaches the app's handler without the loopback socket. */
  readonly fetch: typeof fetch;
  /**
   * Eval's client for this app: every call through `fetch`, but rollouts in this thread without HTTP or
   * JSON. A rollout answer carries the whole trace, and encoding it only to parse it again in the same
   * process cost more CPU than the rest of the rollout.
   */
  client(base: TaskAppClient): TaskAppClient;
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
 * ENVIRONMENT_API_KEY, in this process. `onLog` receives the lifecycle lines ("Starting temporary …
 * server on port N...").
 */
export async function startLocalTaskApp(
  appId: string,
  options: { onLog?: (line: string) => void; llmPolicy?: LlmPolicyFactory } = {},
): Promise<LocalTaskApp> {
  const app = await findTaskApp(appId);
  const log = options.onLog ?? (() => {});
  const apiKey = `sk_env_${randomBytes(24).toString('hex')}`;
  const server = await startTaskAppServer(app, {
    port: 0,
    host: '127.0.0.1',
    apiKeys: [apiKey],
    tracing: true,
    llmPolicy: options.llmPolicy ?? ((o) => createLlmPolicy(o)),
    log: (line) => log(line),
  });
  log(`Starting temporary ${appId} server on port ${server.port}...`);
  log('Waiting for server to start...');
  // Over the port, as any client will come: the check is that the server listens. On the LLM sender's agent,
  // since the global fetch would load its own HTTP stack for this one call (~20 ms).
  const health = await requestText(`${server.url}/health`, {
    method: 'GET',
    headers: { 'x-api-key': apiKey },
  }).catch(() => null);
  if (health?.status !== 200) {
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
    // Eval's own calls go to the app's handler directly: same routes, auth, validation and JSON as over
    // the port, without the loopback socket and HTTP parsing on both ends.
    fetch: async (input, init) => server.fetch(new Request(input as string | URL | Request, init)),
    client: (base) => ({
      ...base,
      async rollout(request, callOptions) {
        const signal = callOptions?.signal ?? new AbortController().signal;
        signal.throwIfAborted();
        const checked = checkRolloutInput(request);
        try {
          return await server.rollout(checked, signal);
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          // Worded as the HTTP client words an error answer, so a row reads the same either way.
          const http = error as TaskAppHttpError;
          const said = errorBody(http.code, http.message, http.hint).error.message;
          throw answeredError('POST', '/rollout', http.status, http.code, said);
        }
      },
    }),
    close() {
      closing ??= (async () => {
        log('Stopping temporary server...');
        await server.close();
      })();
      return closing;
    },
  };
}
