import type { Command } from 'commander';
import { describeKnownApps, getTaskApp, registerTaskAppModule } from '../apps/registry.ts';
import { UsageError } from '../errors.ts';
import { loadTaskAppApiKeys } from '../task-app/auth.ts';
import { startTaskAppServer } from '../task-app/start-server.ts';
import { isTracingEnabled } from '../tracing/location.ts';
import { openTraceStore } from '../tracing/open-store.ts';
import { type CommonOptions, loadCommonEnv, withCommonOptions } from './common.ts';

interface ServeOptions extends CommonOptions {
  port: string;
  host: string;
  module?: string;
  traceDb?: string;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new UsageError(`--port ${text} is not a port number`, {
      hint: 'use 0-65535 (0 picks a free port)',
    });
  }
  return port;
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `synth-ai serve APP_ID`: serves one task app over HTTP until interrupted. */
export function registerServeCommand(program: Command): void {
  withCommonOptions(
    program
      .command('serve')
      .description('serve a task app over HTTP')
      .argument('<app-id>', 'task app id or alias (see the error of an unknown id for the list)')
      .option('--port <n>', 'port to listen on (0 picks a free port)', '8001')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--module <path>', 'register the task apps exported by this module first')
      .option(
        '--trace-db <location>',
        'trace every rollout and store it here (default with TASKAPP_TRACING_ENABLED=1: TURSO_LOCAL_DB_URL, SQLD_DB_PATH or traces/v3/synth_ai.db; "none": return traces only)',
      ),
  ).action(async (appId: string, options: ServeOptions) => {
    loadCommonEnv(options);
    const port = parsePort(options.port);
    if (options.module) await registerTaskAppModule(options.module);
    const app = getTaskApp(appId);
    if (loadTaskAppApiKeys().length === 0) {
      process.stderr.write(
        'warning: ENVIRONMENT_API_KEY is not set: every route but / answers 503 until it is (set it in the environment or an --env-file)\n',
      );
    }
    const tracing = isTracingEnabled() || options.traceDb !== undefined;
    const traceStore = tracing ? await openTraceStore(options.traceDb) : null;
    try {
      const server = await startTaskAppServer(app, { port, host: options.host, tracing, traceStore });
      // One write, so a reader waiting for the URL line also has the tracing line.
      const tracingLine = tracing
        ? `tracing on: sessions ${traceStore ? `written to ${traceStore.location}` : 'returned only'}\n`
        : '';
      process.stdout.write(
        `serving ${app.id} at ${server.url} (Ctrl-C to stop; known apps: ${describeKnownApps()})\n${tracingLine}`,
      );
      await waitForStopSignal();
      await server.close();
    } finally {
      await traceStore?.close();
    }
  });
}
