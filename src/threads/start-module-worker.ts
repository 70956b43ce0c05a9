/**
 * Starts a worker thread that runs one of our modules. From the build (`dist/`) the module is `.js` and
 * loads directly. From the sources it is `.ts`, and Node does not pass a loader registered in this thread
 * (tsx) on to workers: when the import fails for its extension, the worker registers tsx and tries again.
 * @module
 */
import { Worker } from 'node:worker_threads';

// Runs as the worker's first script (CommonJS, via `eval`): import the module, or register tsx, then import it.
const BOOT = `
const { workerData } = require('node:worker_threads');
const { moduleUrl, tsxUrl } = workerData.__boot;
import(moduleUrl).catch((error) => {
  if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !tsxUrl) throw error;
  // The failed load stays cached under its URL, so the retry asks for the same file under another one.
  return import(tsxUrl).then((tsx) => tsx.register()).then(() => import(moduleUrl + '?ts'));
});
`;

function tsxApiUrl(): string | null {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
}

/**
 * A worker running the module `name` (no extension) next to `base` (the caller's `import.meta.url`), with
 * `data` as its `workerData` (read it with {@link workerPayload}). The module has the caller's own
 * extension: `.ts` when running from sources, `.js` from a build.
 */
export function startModuleWorker(base: string, name: string, data: unknown): Worker {
  const extension = /\.[cm]?[jt]s$/.exec(new URL(base).pathname)?.[0] ?? '.js';
  const moduleUrl = new URL(`${name}${extension}`, base);
  return new Worker(BOOT, {
    eval: true,
    workerData: { __boot: { moduleUrl: moduleUrl.href, tsxUrl: tsxApiUrl() }, data },
  });
}

/** Inside a worker started by {@link startModuleWorker}: the `data` it was given. */
export function workerPayload<T>(workerData: unknown): T {
  return (workerData as { data: T }).data;
}
