/**
 * Listens with a task app on a port (Node, via @hono/node-server).
 * @module
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { SynthError } from '../errors.ts';
import type { TaskApp } from './define.ts';
import type { RolloutRequest, RolloutResponse } from './rollout-contract.ts';
import {
  createRolloutRunner,
  createTaskAppHandler,
  serverLog,
  type TaskAppServerOptions,
  toHttpError,
} from './server.ts';

/** A listening task app server. */
export interface RunningTaskAppServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The app's HTTP handler itself: answers a request in this thread without a socket. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  /**
   * `POST /rollout` in this thread without HTTP or JSON, for a request already checked against
   * `RolloutRequestSchema` (defaults applied): the route's runner and response check, and its errors
   * (`TaskAppHttpError` with the status the route answers). No key check: the caller holds the app itself.
   */
  readonly rollout: (request: RolloutRequest, signal: AbortSignal) => Promise<RolloutResponse>;
  /** Stops accepting connections and closes idle ones. Safe to call twice. */
  close(): Promise<void>;
}

/** Where to listen, plus the server options. */
export interface StartTaskAppServerOptions extends TaskAppServerOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
}

/**
 * Starts serving a task app and resolves once it listens.
 * @example const server = await startTaskAppServer(app, { port: 0 }); ...; await server.close();
 */
export function startTaskAppServer(
  app: TaskApp,
  options: StartTaskAppServerOptions = {},
): Promise<RunningTaskAppServer> {
  const host = options.host ?? '127.0.0.1';
  const runRollout = createRolloutRunner(app, options);
  const log = serverLog(options);
  const handler = createTaskAppHandler(app, options, runRollout);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: handler.fetch, port: options.port ?? 0, hostname: host });
    server.once('error', (cause: NodeJS.ErrnoException) => {
      reject(
        new SynthError(`cannot listen on ${host}:${options.port ?? 0} (${cause.code ?? cause.message})`, {
          hint: cause.code === 'EADDRINUSE' ? 'pick another --port or stop the process using it' : undefined,
          cause,
        }),
      );
    });
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      let closed: Promise<void> | null = null;
      resolve({
        url: `http://${shownHost}:${address.port}`,
        host,
        port: address.port,
        fetch: (request) => handler.fetch(request),
        async rollout(request, signal) {
          try {
            return await runRollout(request, signal);
          } catch (error) {
            const http = toHttpError(error);
            // As `POST /rollout` logs it: the app tells of its own failures the same way either path.
            if (http.status >= 500) log(`[${app.id}] POST /rollout: ${http.message}`);
            throw http;
          }
        },
        close() {
          closed ??= new Promise<void>((done) => {
            server.close(() => done());
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          });
          return closed;
        },
      });
    });
  });
}
