/**
 * The published entry points: a plain Node process, with no TypeScript loader, imports `synth-ai` and
 * `synth-ai/testing` by name from the build (`npm ci` builds; after editing `src/`, run `npm run build`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, { types: string; import: string }>;
};

describe('package entry points', () => {
  it('point at built JavaScript and declarations that exist', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      assert.match(target.import, /^\.\/dist\/.*\.js$/, `${entry} imports JavaScript`);
      assert.match(target.types, /^\.\/dist\/.*\.d\.ts$/, `${entry} has declarations`);
      for (const file of [target.import, target.types])
        assert.ok(existsSync(join(root, file)), `${file} is missing: run npm run build`);
    }
  });

  it('load in plain Node by package name, with the library and the testing helpers', () => {
    const script = `
      const lib = await import('synth-ai');
      const testing = await import('synth-ai/testing');
      console.log(JSON.stringify({
        version: lib.VERSION,
        functions: ['runEval', 'runFilter', 'openTraceStore', 'gradeDb', 'getTaskApp'].filter((k) => typeof lib[k] === 'function'),
        mock: typeof testing.startMockProvider,
      }));`;
    // No --import tsx: what a user's own project gets.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    const seen = JSON.parse(out) as { version: string; functions: string[]; mock: string };
    assert.equal(seen.version, pkg.version);
    assert.deepEqual(seen.functions, ['runEval', 'runFilter', 'openTraceStore', 'gradeDb', 'getTaskApp']);
    assert.equal(seen.mock, 'function');
  });

  it('type-check in a TypeScript project of its own (nodenext), typed as the sources are', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-consumer-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'synth-ai'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const compilerOptions = {
      module: 'nodenext',
      strict: true,
      noEmit: true,
      // Our declarations are checked too: a consumer that checks its libraries sees no error in ours.
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['use.ts'] }));
    const use = (version: string) => `
      import { openTraceStore, runEval, VERSION } from 'synth-ai';
      import { startMockProvider } from 'synth-ai/testing';
      const version: ${version} = VERSION;
      const store: Promise<unknown> = openTraceStore(':memory:');
      console.log(version, typeof runEval, typeof startMockProvider, store);
    `;
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(join(dir, 'use.ts'), use('string'));
    execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    // The declarations carry real types: a wrong one is an error.
    writeFileSync(join(dir, 'use.ts'), use('number'));
    assert.throws(
      () => execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', stdio: 'pipe' }),
      (error: { stdout?: string }) => /TS2322/.test(String(error.stdout)),
    );
  });
});
