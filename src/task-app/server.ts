/**
 * The task app HTTP server (hono): `GET /`, `/health`, `/info`, `/task_info`, `POST /rollout`, and an
 * optional LLM interceptor at `/proxy/v1/chat/completions`. Every route but `/` needs an API key; every
 * error is JSON `{error: {code, message}}` and never stops the server.
 * @module
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ExitCode, SynthError } from '../errors.ts';
import { createLlmPolicy } from '../policies/llm-policy.ts';
import type { TraceStore } from '../tracing/store.ts';
import type { SessionTrace } from '../tracing/types.ts';
import { createApiKeyMiddleware, loadTaskAppApiKeys } from './auth.ts';
import type { TaskApp } from './define.ts';
import { errorBody, formatIssues, TaskAppHttpError } from './http-error.ts';
import { parseRolloutRequest } from './parse-request.ts';
import { createPolicyResolver, type LlmPolicyFactory, type PolicyResolver } from './policy-resolver.ts';
import { type RolloutRequest, type RolloutResponse, RolloutResponseSchema } from './rollout-contract.ts';
import { runEnvironmentRollout } from './run-environment-rollout.ts';
import { buildInfo, buildTaskInfo, parseSeedQuery } from './task-info.ts';

/** Default request body limit: 10 MB. */
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** How a task app is served. Every field is optional; defaults come from the environment. */
export interface TaskAppServerOptions {
  /** Allowed API keys. @default loadTaskAppApiKeys(process.env) */
  apiKeys?: readonly string[];
  /** Trace every rollout. @default process.env.TASKAPP_TRACING_ENABLED is 1/true/yes */
  tracing?: boolean;
  /**
   * Builds LLM policies for requests that set `policy.config.model`.
   * @default createLlmPolicy (src/policies/llm-policy.ts); null: no LLM policies (such requests get 503)
   */
  llmPolicy?: LlmPolicyFactory | null;
  /** Replaces the whole policy choice (built-in names, then `llmPolicy`). */
  resolvePolicy?: PolicyResolver;
  /**
   * The LLM interceptor (`createInterceptor` from src/inference), mounted at `/proxy` behind the same auth:
   * `POST /proxy/v1/chat/completions`. A plain function is served at exactly that path.
   */
  proxy?: Hono | ((request: Request) => Response | Promise<Response>);
  /** Where traced sessions are written (whole, when each rollout ends). */
  traceStore?: TraceStore | null;
  /** Called with the full trace of each traced rollout. */
  onTrace?: (trace: SessionTrace) => void | Promise<void>;
  /** @default DEFAULT_BODY_LIMIT_BYTES */
  bodyLimitBytes?: number;
  /** Where unexpected errors are logged. @default one line on stderr */
  log?: (line: string) => void;
}

/** Whether `TASKAPP_TRACING_ENABLED` turns tracing on. */
export function tracingEnabledFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes|on)$/i.test(env.TASKAPP_TRACING_ENABLED?.trim() ?? '');
}

/** The answer the server gives for `error`: its own status when it has one, 422 for a usage error, else 500. */
export function toHttpError(error: unknown): TaskAppHttpError {
  if (error instanceof TaskAppHttpError) return error;
  if (SynthError.isInstance(error) && error.exitCode === ExitCode.usage) {
    return new TaskAppHttpError(422, 'invalid_request', error.message, { hint: error.hint, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TaskAppHttpError(500, 'internal_error', `rollout failed: ${message}`, { cause: error });
}

/**
 * Runs one validated rollout request as `POST /rollout` does once its body is read: the environment's
 * episode (or the app's own rollout), then the response checked against the contract. Throws what the
 * route would answer with (`toHttpError` maps it).
 */
export type RolloutRunner = (request: RolloutRequest, signal: AbortSignal) => Promise<RolloutResponse>;

/** The rollout runner of `app` under `options` (tracing, policies, trace store). */
export function createRolloutRunner(app: TaskApp, options: TaskAppServerOptions = {}): RolloutRunner {
  const tracing = options.tracing ?? tracingEnabledFromEnv();
  const llmPolicy = options.llmPolicy === undefined ? createLlmPolicy : (options.llmPolicy ?? undefined);
  const resolvePolicy = options.resolvePolicy ?? createPolicyResolver({ llmPolicy });
  return async (request, signal) => {
    let response: RolloutResponse;
    if (app.environment) {
      response = await runEnvironmentRollout(app as Parameters<typeof runEnvironmentRollout>[0], request, {
        resolvePolicy,
        tracing,
        signal,
        traceStore: options.traceStore,
        onTrace: options.onTrace,
      });
    } else {
      response = await app.rollout!(request, { signal });
    }
    const checked = RolloutResponseSchema.safeParse(response);
    if (!checked.success) {
      throw new TaskAppHttpError(
        500,
        'invalid_rollout_response',
        `task app "${app.id}" produced an invalid rollout response: ${formatIssues(checked.error.issues)}`,
      );
    }
    return checked.data;
  };
}

/** Where a server logs its own failures (the 5xx it answers): `options.log`, else a line on stderr. */
export function serverLog(options: Pick<TaskAppServerOptions, 'log'>): (line: string) => void {
  return options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
}

/**
 * Builds the hono app that serves one task app. Use `startTaskAppServer` to listen on a port.
 * `runRollout` is the app's runner when the caller also runs rollouts in process.
 * @example const handler = createTaskAppHandler(banking77App, { apiKeys: ['secret'] });
 */
export function createTaskAppHandler(
  app: TaskApp,
  options: TaskAppServerOptions = {},
  runRollout: RolloutRunner = createRolloutRunner(app, options),
): Hono {
  const apiKeys = [...(options.apiKeys ?? loadTaskAppApiKeys())];
  const tracing = options.tracing ?? tracingEnabledFromEnv();
  const log = serverLog(options);
  const server = new Hono();

  server.onError((error, c) => {
    const http = toHttpError(error);
    if (http.status >= 500) log(`[${app.id}] ${c.req.method} ${c.req.path}: ${http.message}`);
    return c.json(errorBody(http.code, http.message, http.hint), http.status as ContentfulStatusCode);
  });
  server.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));

  server.get('/', (c) => c.json({ status: 'ok', service: app.id }));

  server.use('*', createApiKeyMiddleware(apiKeys, { open: ['/'] }));

  server.use(
    '*',
    bodyLimit({
      maxSize: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      onError: (c) =>
        c.json(
          errorBody(
            'payload_too_large',
            `request body over ${options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES} bytes`,
          ),
          413,
        ),
    }),
  );

  server.get('/health', (c) => c.json({ healthy: true, service: app.id, auth: { required: true } }));
  // The app's definition does not change while it is served: its info is built (and checked) once.
  let info: ReturnType<typeof buildInfo> | undefined;
  server.get('/info', (c) => {
    info ??= buildInfo(app, { tracing });
    return c.json(info);
  });

  server.get('/task_info', async (c) => {
    const seeds = parseSeedQuery([...(c.req.queries('seed') ?? []), ...(c.req.queries('seeds') ?? [])]);
    if (seeds.length === 0) return c.json({ taskset: await app.describeTaskset() });
    const infos = [];
    for (const seed of seeds) infos.push(await buildTaskInfo(app, seed));
    return c.json(infos.length === 1 ? infos[0] : infos);
  });

  server.post('/rollout', async (c) =>
    c.json(await runRollout(parseRolloutRequest(await c.req.text()), c.req.raw.signal)),
  );

  const proxy = options.proxy;
  if (proxy instanceof Hono) server.route('/proxy', proxy);
  else if (proxy) server.post('/proxy/v1/chat/completions', (c) => proxy(c.req.raw));
  return server;
}
