/**
 * A write that fails mid-export (here: the file size limit, as a full disk would) ends the run with an
 * error naming it, and leaves neither the output nor a temporary file behind, on either write path.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crafterTurn, tempDir, writeDb } from './fixtures.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const hasPrlimit = (() => {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs runFilter in a child whose files may not grow past `maxBytes`; EFBIG instead of SIGXFSZ. */
function filterUnderSizeLimit(db: string, output: string, ioThread: boolean, maxBytes: number) {
  const script = `
    process.on('SIGXFSZ', () => {});
    const { resolveFilterOptions, runFilter } = await import(${JSON.stringify(join(root, 'src/filter/index.ts'))});
    const options = resolveFilterOptions(undefined, { db: ${JSON.stringify(db)}, output: ${JSON.stringify(output)}, criteria: {} });
    try {
      const result = await runFilter(options, { ioThread: ${ioThread} });
      console.log('wrote', result.manifest.output.bytes);
    } catch (error) {
      console.error('error:', error.message);
      process.exitCode = 1;
    }`;
  return spawnSync(
    'prlimit',
    [`--fsize=${maxBytes}`, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root, encoding: 'utf8' },
  );
}

describe('filter output write failure', {
  skip: hasPrlimit ? false : 'prlimit (util-linux) is not installed',
}, () => {
  for (const ioThread of [false, true]) {
    it(`fails with the write error and leaves nothing behind (${ioThread ? 'I/O thread' : 'one thread'})`, async () => {
      const long = 'x'.repeat(2000);
      const sessions = Array.from({ length: 400 }, (_, i) => ({
        id: `s${i}`,
        messages: [0, 1, 2].flatMap((step) =>
          crafterTurn(step, ['do', 'noop']).map((m) =>
            m.role === 'user' ? { ...m, content: `${m.content} ${i} ${long}` } : m,
          ),
        ),
        judge: { primary: 0.9 },
      }));
      const db = await writeDb(sessions);
      const outDir = tempDir();
      const output = join(outDir, 'train.jsonl');

      // Without a limit the export is well over 1 MB, so the limit below cuts it partway.
      const free = filterUnderSizeLimit(db, join(tempDir(), 'free.jsonl'), ioThread, 64 * 2 ** 20);
      assert.equal(free.status, 0, free.stderr);
      assert.ok(Number(/wrote (\d+)/.exec(free.stdout)?.[1]) > 2 * 2 ** 20, free.stdout);

      const cut = filterUnderSizeLimit(db, output, ioThread, 2 ** 20);
      assert.equal(cut.status, 1, `exit ${cut.status}: ${cut.stdout}${cut.stderr}`);
      const errors = cut.stderr.split('\n').filter((line) => line.startsWith('error:'));
      assert.equal(errors.length, 1, cut.stderr);
      assert.equal(
        errors[0],
        `error: cannot write output ${output}: the file grew past the largest size allowed (file system or ulimit -f)`,
      );
      assert.equal(existsSync(output), false, 'no output file');
      assert.deepEqual(readdirSync(outDir), [], 'no temporary or manifest file left');
    });
  }
});
