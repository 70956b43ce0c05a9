#!/usr/bin/env -S node --
// `node --` stops Node 20 from reading our --env-file flag as its own (it scans the whole argv).
// The build (`npm run build`, run by `npm ci`) compiles the sources to dist/: plain JavaScript starts
// faster and uses ~60 MB less memory than compiling TypeScript on load. When a source file is newer than
// the build (a checkout being edited), the bin runs the sources through tsx instead, so it never runs
// stale code.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/src/cli/main.js', import.meta.url);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIsFresh() {
  try {
    return statSync(built).mtimeMs >= newestSource(fileURLToPath(new URL('../src', import.meta.url)));
  } catch {
    return false;
  }
}

let main;
if (buildIsFresh()) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
