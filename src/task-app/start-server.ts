/**
 * Listens with a task app on a port (Node, via @hono/node-server).
 * @module
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { SynthError } from '../errors.ts';
import type { TaskApp } from './define.ts';
import { createTaskAppHandler, type TaskAppServerOptions } from './server.ts';

/** A listening task app server. */
export interface RunningTaskAppServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The app's HTTP handler itself: answers a request in this thread without a socket. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
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
  const handler = createTaskAppHandler(app, options);
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
