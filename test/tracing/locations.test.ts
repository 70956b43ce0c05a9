/** DB locations, environment variables, bad input, and the @libsql/client code path (on a file: URL). */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/errors.ts';
import { openClientTraceStore } from '../../src/tracing/libsql-client/client-store.ts';
import { isTracingEnabled, parseTraceLocation, resolveTraceLocation } from '../../src/tracing/location.ts';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import { recordSample, tempDir } from './fixtures.ts';
import { sqlite3 } from './sqlite3-cli.ts';

const isUsage = (pattern: RegExp) => (e: unknown) =>
  e instanceof UsageError && pattern.test(e.oneLine()) && !e.oneLine().includes('\n');

describe('trace DB locations', () => {
  it('parses every spelling users write', () => {
    const cwd = '/srv/project';
    const file = (raw: string) => {
      const loc = parseTraceLocation(raw, { cwd, env: {} });
      assert.equal(loc.kind, 'file', raw);
      return loc.kind === 'file' ? loc.path : '';
    };
    assert.equal(file('traces/v3/synth_ai.db'), '/srv/project/traces/v3/synth_ai.db');
    assert.equal(file('sqlite+aiosqlite:////abs/t.db'), '/abs/t.db');
    assert.equal(file('sqlite+aiosqlite:///rel/t.db'), '/srv/project/rel/t.db');
    assert.equal(file('sqlite:////abs/t.db'), '/abs/t.db');
    assert.equal(file('file:///abs/t.db'), '/abs/t.db');
    assert.equal(file('file:rel.db'), '/srv/project/rel.db');
    for (const off of ['none', 'off', 'disable', 'OFF'])
      assert.equal(parseTraceLocation(off).kind, 'disabled');
    const remote = parseTraceLocation('libsql://db-org.turso.io?authToken=secret', { env: {} });
    assert.deepEqual(remote, {
      kind: 'remote',
      url: 'libsql://db-org.turso.io',
      authToken: 'secret',
      display: 'libsql://db-org.turso.io',
    });
    const fromEnv = parseTraceLocation('libsql://db-org.turso.io', { env: { TURSO_AUTH_TOKEN: 'tok' } });
    assert.equal(fromEnv.kind === 'remote' && fromEnv.authToken, 'tok');
    assert.throws(
      () => parseTraceLocation('postgres://x/y'),
      isUsage(/scheme postgres:\/\/ is not supported/),
    );
  });

  it('env: TURSO_LOCAL_DB_URL, then SQLD_DB_PATH (a folder means dbs/default/data), then the default', () => {
    const dir = tempDir();
    const cwd = dir;
    const at = (env: Record<string, string>) => {
      const loc = resolveTraceLocation(undefined, { env, cwd });
      return loc.kind === 'file' ? path.relative(dir, loc.path) : loc.kind;
    };
    assert.equal(at({}), 'traces/v3/synth_ai.db');
    assert.equal(
      at({ SQLD_DB_PATH: 'traces/v3/crafter_eval.db', TURSO_NATIVE: '1' }),
      'traces/v3/crafter_eval.db',
    );
    mkdirSync(path.join(dir, 'sqld'));
    assert.equal(at({ SQLD_DB_PATH: 'sqld' }), 'sqld/dbs/default/data');
    assert.equal(at({ SQLD_DB_PATH: 'sqld', TURSO_LOCAL_DB_URL: 'sqlite+aiosqlite:///x.db' }), 'x.db');
    assert.equal(resolveTraceLocation('off', { env: { SQLD_DB_PATH: 'sqld' } }).kind, 'disabled');
    assert.equal(isTracingEnabled({ TASKAPP_TRACING_ENABLED: '1' }), true);
    assert.equal(isTracingEnabled({ TASKAPP_TRACING_ENABLED: 'true' }), true);
    assert.equal(isTracingEnabled({ TASKAPP_TRACING_ENABLED: '0' }), false);
    assert.equal(isTracingEnabled({}), false);
  });

  it('disabled tracing opens no store; a missing folder is created', async () => {
    assert.equal(await openTraceStore('none'), null);
    const db = path.join(tempDir(), 'a', 'b', 'c', 'traces.db');
    const store = (await openTraceStore(`sqlite+aiosqlite:///${db}`))!;
    assert.equal(store.location, db);
    await store.close();
    assert.equal(sqlite3(db, 'PRAGMA journal_mode;').trim(), 'wal');
  });

  it('refuses bad files with one clear line', async () => {
    const dir = tempDir();
    const text = path.join(dir, 'notes.db');
    writeFileSync(text, 'this is not a database, just some text that is long enough '.repeat(4));
    await assert.rejects(openTraceStore(text), isUsage(/notes\.db is not a SQLite database/));
    const other = path.join(dir, 'other.db');
    sqlite3(other, 'CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (1);');
    await assert.rejects(
      openTraceStore(other),
      isUsage(/SQLite database without trace tables \(it has: customers\)/),
    );
    assert.equal(sqlite3(other, 'SELECT COUNT(*) FROM sqlite_master;').trim(), '1', 'nothing was added');
    const newer = path.join(dir, 'newer.db');
    await (await openTraceStore(newer))!.close();
    sqlite3(newer, "INSERT INTO synth_ai_schema VALUES (99, 'later', 'from the future');");
    await assert.rejects(
      openTraceStore(newer),
      isUsage(/schema version 99, newer than this synth-ai understands/),
    );
  });

  it('reports an unwritable location before any work starts', async () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'file.txt');
    writeFileSync(blocker, 'x');
    await assert.rejects(
      openTraceStore(path.join(blocker, 'traces.db')),
      isUsage(/cannot create the trace DB folder/),
    );
    await assert.rejects(openTraceStore(dir), isUsage(/is a folder/));
  });

  it('the @libsql/client store (used for libsql://) writes and reads the same rows, on a file: URL', async () => {
    const db = path.join(tempDir(), 'client.db');
    const store = await openClientTraceStore(`file:${db}`);
    try {
      const traces = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          recordSample({
            store,
            sessionId: `k-${i}`,
            turns: 3,
            reward: i,
            metadata: { task_split: 'train' },
          }),
        ),
      );
      assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM messages;').trim(), String(6 * 9));
      assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM messages WHERE timestep_id IS NULL;').trim(), '0');
      assert.equal(
        sqlite3(
          db,
          'SELECT r."key", e.event_type FROM event_rewards r JOIN events e ON e.id = r.event_id WHERE r."key" = \'collect_wood\' AND r.session_id = \'k-2\';',
        ).trim(),
        'collect_wood|environment',
      );
      assert.deepEqual(await store.getSession('k-2'), JSON.parse(JSON.stringify(traces[2])));
      await store.mergeJudgeMetadata('k-4', { primary: 0.9 });
      const picked: string[] = [];
      for await (const s of store.iterateSessionsWithMessages({
        minOfficialScore: 3,
        minJudgeScores: { primary: 0.5 },
      })) {
        picked.push(s.session_id);
        assert.equal(s.messages.length, 9);
      }
      assert.deepEqual(picked, ['k-4']);
      await assert.rejects(store.insertSession(traces[0]!), /session k-0 is already in the trace DB/);
    } finally {
      await store.close();
    }
    // The embedded store opens what the client wrote (same schema version, no migration).
    const embedded = (await openTraceStore(db))!;
    assert.equal(await embedded.countSessions(), 6);
    await embedded.close();
  });
});
