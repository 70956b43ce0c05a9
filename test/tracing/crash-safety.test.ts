/**
 * Crash safety: a child process writing sessions (8 concurrent, group-committed) is killed with SIGKILL
 * at random moments, 20 times on the same DB. After every kill the DB passes `PRAGMA integrity_check`
 * and holds only whole sessions: row counts match num_* and trace_data, and no row is orphaned.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { tempDir } from './fixtures.ts';
import { sqlite3 } from './sqlite3-cli.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODULES = path.resolve(HERE, '../../node_modules');

// Sessions whose stored parts disagree with each other; a whole session matches on every line.
const BROKEN_SESSIONS = `SELECT COUNT(*) FROM session_traces s WHERE
  s.num_messages != (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.session_id)
  OR s.num_events != (SELECT COUNT(*) FROM events e WHERE e.session_id = s.session_id)
  OR s.num_timesteps != (SELECT COUNT(*) FROM session_timesteps t WHERE t.session_id = s.session_id)
  OR s.num_messages != json_array_length(s.trace_data, '$.markov_blanket_message_history')
  OR s.num_events != json_array_length(s.trace_data, '$.event_history')
  OR (SELECT COUNT(*) FROM outcome_rewards o WHERE o.session_id = s.session_id) != 1
  OR (SELECT COUNT(*) FROM event_rewards r WHERE r.session_id = s.session_id) < s.num_timesteps`;
const ORPHANS = `SELECT
  (SELECT COUNT(*) FROM messages WHERE session_id NOT IN (SELECT session_id FROM session_traces)) +
  (SELECT COUNT(*) FROM events WHERE session_id NOT IN (SELECT session_id FROM session_traces)) +
  (SELECT COUNT(*) FROM event_rewards WHERE session_id NOT IN (SELECT session_id FROM session_traces)) +
  (SELECT COUNT(*) FROM outcome_rewards WHERE session_id NOT IN (SELECT session_id FROM session_traces))`;

/**
 * Bundles the writer once, so each of the 20 children starts in plain node without a TS loader (seconds
 * saved per child). CommonJS, so the native drivers resolve from the repo through NODE_PATH.
 */
function bundleWriter(dir: string): string {
  const outfile = path.join(dir, 'crash-writer.cjs');
  buildSync({
    entryPoints: [path.join(HERE, 'crash-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['libsql', '@libsql/client'],
    logLevel: 'silent',
  });
  return outfile;
}

function waitForCommit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /committed (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${err}`)));
  });
}

describe('crash safety', () => {
  it('20 SIGKILLs at random moments leave an intact DB with only whole sessions', async () => {
    const dir = tempDir();
    const writer = bundleWriter(dir);
    const db = path.join(dir, 'crash.db');
    let lastCount = 0;
    let killedMidWrite = 0;
    for (let round = 0; round < 20; round++) {
      const child = spawn(process.execPath, [writer, db], {
        env: { ...process.env, NODE_PATH: MODULES },
        stdio: 'pipe',
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Most rounds die while writing; a few die during open and migration, before any commit.
      if (round % 5 === 4) {
        await new Promise((r) => setTimeout(r, Math.random() * 120));
      } else {
        await waitForCommit(child);
        await new Promise((r) => setTimeout(r, Math.random() * 150));
        killedMidWrite++;
      }
      child.kill('SIGKILL');
      await exited;
      assert.equal(sqlite3(db, 'PRAGMA integrity_check;').trim(), 'ok', `round ${round}`);
      assert.equal(
        sqlite3(db, `${BROKEN_SESSIONS};`).trim(),
        '0',
        `round ${round}: a session is partly stored`,
      );
      assert.equal(sqlite3(db, `${ORPHANS};`).trim(), '0', `round ${round}: rows without a session`);
      const count = Number(sqlite3(db, 'SELECT COUNT(*) FROM session_traces;').trim());
      assert.ok(count >= lastCount, 'committed sessions survive later crashes');
      lastCount = count;
    }
    assert.ok(killedMidWrite >= 16);
    assert.ok(
      lastCount >= 8 * killedMidWrite,
      `each writing round committed at least one batch (${lastCount})`,
    );
  });
});
