/** The embedded store through its public API: concurrency, selection, streaming, judge merges. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SynthError } from '../../src/errors.ts';
import { SessionTracer } from '../../src/tracing/session-tracer.ts';
import { selectionOrderKey } from '../../src/tracing/sqlite/selection-sql.ts';
import { createSqliteTraceStore, type SqliteTraceStore } from '../../src/tracing/sqlite/sqlite-store.ts';
import { recordSample, tempDir } from './fixtures.ts';
import { sqlite3 } from './sqlite3-cli.ts';

// Every behaviour holds whether writes run on the store's connection or on its writer thread.
for (const writeThread of [false, true])
  describe(`SQLite trace store (${writeThread ? 'writer thread' : 'inline writes'})`, () => {
    let store: SqliteTraceStore;
    let db: string;

    before(async () => {
      db = path.join(tempDir(), 'store.db');
      store = await createSqliteTraceStore(db, { writeThread });
    });
    after(() => store.close());

    it('64 concurrent tracers write at once without errors, group-committed', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 64 }, (_, i) =>
          recordSample({
            store,
            sessionId: `c-${String(i).padStart(2, '0')}`,
            turns: 4,
            reward: i / 10,
            startAt: 1_760_000_000 + i,
            metadata: {
              task_split: i % 2 ? 'train' : 'test',
              task_id: `t${i % 4}`,
              model: i < 32 ? 'm-a' : 'm-b',
            },
          }),
        ),
      );
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
      );
      assert.equal(await store.countSessions(), 64);
      assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM messages;').trim(), String(64 * 12));
      assert.ok(store.writeStats().batches < 64, `batched: ${JSON.stringify(store.writeStats())}`);
    });

    it('a verdict for a session not in the DB is refused with its id and the fix', async () => {
      await assert.rejects(
        store.mergeJudgeMetadata('not-stored', { primary: 0.5 }),
        (error: unknown) =>
          SynthError.isInstance(error) &&
          error.message === 'no session not-stored in the trace DB' &&
          error.hint === 'check the session id',
      );
    });

    it('a session round-trips whole through getSession', async () => {
      const trace = await recordSample({ sessionId: 'round-trip', turns: 2 });
      await store.insertSession(trace);
      const back = await store.getSession('round-trip');
      assert.deepEqual(back, JSON.parse(JSON.stringify(trace)));
      assert.equal(await store.getSession('missing'), null);
    });

    it('events store USD as REAL and the usage view does not divide by 100', () => {
      const row = sqlite3(
        db,
        "SELECT cost_usd, typeof(cost_usd) FROM events WHERE event_type = 'cais' LIMIT 1;",
      );
      assert.equal(row.trim(), '2.5e-05|real');
      const view = sqlite3(
        db,
        "SELECT usage_count, round(total_cost_usd, 8) FROM model_usage_stats WHERE model_name = 'gpt-4o-mini';",
      );
      assert.equal(view.trim(), `${64 * 4 + 2}|${Number(((64 * 4 + 2) * 0.000025).toFixed(8))}`);
    });

    it('a duplicate session id fails alone with a clear error; others in the batch commit', async () => {
      const dup = await recordSample({ sessionId: 'c-00' });
      const fresh = await recordSample({ sessionId: 'fresh-1' });
      const [a, b] = await Promise.allSettled([store.insertSession(dup), store.insertSession(fresh)]);
      assert.equal(a.status, 'rejected');
      assert.match(
        String((a as PromiseRejectedResult).reason.message),
        /session c-00 is already in the trace DB/,
      );
      assert.equal(b.status, 'fulfilled');
      assert.equal(sqlite3(db, "SELECT COUNT(*) FROM messages WHERE session_id = 'c-00';").trim(), '12');
    });

    it('a message type outside the CHECK constraint is refused whole', async () => {
      const tracer = new SessionTracer({ store });
      tracer.startSession({ sessionId: 'bad-type' });
      tracer.recordMessage({ role: 'user', content: 'hi' });
      tracer.recordMessage({ role: 'user', content: 'x' }, { messageType: 'policy_user_prompt' as never });
      await assert.rejects(tracer.endSession(), /breaks a trace DB rule: CHECK constraint failed/);
      assert.equal(sqlite3(db, "SELECT COUNT(*) FROM messages WHERE session_id = 'bad-type';").trim(), '0');
      assert.equal(await store.getSession('bad-type'), null);
    });

    it('selection: splits, task ids, models, score bounds, created_at, judged, limit/offset', async () => {
      const ids = async (sel: Parameters<typeof store.listSessions>[0]) => {
        const out: string[] = [];
        for await (const s of store.listSessions(sel)) out.push(s.session_id);
        return out;
      };
      const train = await ids({ splits: ['train'], models: ['m-a'] });
      assert.equal(train.length, 16);
      assert.ok(train.every((id) => Number(id.slice(2)) % 2 === 1 && Number(id.slice(2)) < 32));
      assert.deepEqual(await ids({ taskIds: ['t1'], minOfficialScore: 5, maxOfficialScore: 6 }), [
        'c-53',
        'c-57',
      ]);
      assert.deepEqual(
        await ids({
          minCreatedAt: '2025-10-09T08:53:20.000Z',
          maxCreatedAt: '2025-10-09T08:53:22.999Z',
          sessionIds: ['c-00', 'c-01', 'c-02', 'c-03'],
        }),
        ['c-00', 'c-01', 'c-02'],
      );
      assert.deepEqual(await ids({ splits: ['test'], limit: 3, offset: 2 }), ['c-04', 'c-06', 'c-08']);
      assert.equal(await store.countSessions({ splits: ['test'], limit: 3, offset: 30 }), 2);
      assert.equal(await store.countSessions({ splits: ['nope'] }), 0);
      await store.mergeJudgeMetadata('c-10', { primary: 0.9, reasoning: 'good' });
      await store.mergeJudgeMetadata('c-11', { primary: 0.5 });
      await store.mergeJudgeMetadata('c-10', { rubric_judge: 0.7 });
      assert.deepEqual(await ids({ judged: true }), ['c-10', 'c-11']);
      assert.deepEqual(await ids({ minJudgeScores: { primary: 0.8 } }), ['c-10']);
      assert.deepEqual(await ids({ minJudgeScores: { rubric_judge: 0.1 } }), ['c-10']);
      assert.deepEqual(await ids({ maxJudgeScores: { primary: 0.6 } }), ['c-11']);
      assert.deepEqual((await store.getSession('c-10'))?.judge_metadata, {
        primary: 0.9,
        reasoning: 'good',
        rubric_judge: 0.7,
      });
    });

    it('streams many pages in order; a seeded shuffle repeats and differs by seed', async () => {
      const all: string[] = [];
      for await (const s of store.iterateSessionsWithMessages({})) {
        all.push(s.session_id);
        assert.equal(s.messages.length, s.num_messages);
      }
      assert.equal(all.length, await store.countSessions());
      const shuffled = async (seed: number) => {
        const out: string[] = [];
        for await (const s of store.listSessions({ order: 'random', shuffleSeed: seed }))
          out.push(s.session_id);
        return out;
      };
      const a = await shuffled(7);
      assert.deepEqual(await shuffled(7), a);
      assert.notDeepEqual(await shuffled(8), a);
      assert.deepEqual([...a].sort(), [...all].sort());
      assert.notDeepEqual(a, all);
      // The order SQL defines for that seed, read once; offset and limit cut it as for any selection.
      const key = selectionOrderKey({ order: 'random', shuffleSeed: 7 });
      const bySql = sqlite3(db, `SELECT session_id FROM session_traces s ORDER BY ${key}, s.session_id;`)
        .trim()
        .split('\n');
      assert.deepEqual(a, bySql);
      // Read 32 sessions a page: the same order across pages.
      const paged: string[] = [];
      for await (const s of store.iterateSessionsWithRawMessages!({ order: 'random', shuffleSeed: 7 }))
        paged.push(s.session_id);
      assert.ok(paged.length > 64);
      assert.deepEqual(paged, a);
      const window: string[] = [];
      for await (const s of store.iterateSessionsWithMessages({
        order: 'random',
        shuffleSeed: 7,
        offset: 3,
        limit: 5,
      })) {
        window.push(s.session_id);
        assert.equal(s.messages.length, s.num_messages);
      }
      assert.deepEqual(window, a.slice(3, 8));
    });

    it('uses the expression indexes for selection', () => {
      const plan = sqlite3(
        db,
        "EXPLAIN QUERY PLAN SELECT session_id FROM session_traces s WHERE json_extract(s.metadata, '$.task_split') IN ('train');",
      );
      assert.match(plan, /idx_session_task_split/);
    });
  });
