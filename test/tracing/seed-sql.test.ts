/**
 * Every SQL statement of seeds 002 and 000, run verbatim with the sqlite3 command-line tool against a DB
 * our store wrote, returns what the seed says it returns.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import type { TraceStore } from '../../src/tracing/store.ts';
import { recordSample, tempDir } from './fixtures.ts';
import { sqlite3, sqlite3WithParams } from './sqlite3-cli.ts';

// Seed 002 (FILTER_COMMAND_SUCCESS): two rollouts, 120 messages (system + user + assistant), rewards > 0.
const SEED_002 = {
  countMessages: 'SELECT COUNT(*) FROM messages;',
  countRewarded: 'SELECT COUNT(*) FROM outcome_rewards WHERE total_reward > 0;',
  sessionMessages: `SELECT message_type, content, timestamp 
FROM messages 
WHERE session_id = :session_id
ORDER BY timestamp ASC`,
  sessionOutcome: `SELECT total_reward, achievements_count 
FROM outcome_rewards 
WHERE session_id = :session_id`,
};

// Seed 000 (judges): the statements as the shell hands them to sqlite3 (`\$` unescaped to `$`).
const SEED_000 = {
  viewScores: `SELECT 
    session_id,
    json_extract(judge_metadata, '$.primary') as primary_score,
    json_extract(judge_metadata, '$.reasoning') as reasoning,
    total_reward
   FROM session_traces 
   WHERE json_extract(judge_metadata, '$.primary') IS NOT NULL
   ORDER BY primary_score DESC
   LIMIT 10;`,
  highQuality: `SELECT 
    COUNT(*) as total,
    AVG(json_extract(judge_metadata, '$.primary')) as avg_score,
    MAX(json_extract(judge_metadata, '$.primary')) as max_score
   FROM session_traces 
   WHERE json_extract(judge_metadata, '$.primary') >= 0.7;`,
  exportCsv: `SELECT 
    session_id,
    created_at,
    json_extract(judge_metadata, '$.primary') as score,
    total_reward,
    json_extract(judge_metadata, '$.reasoning') as reasoning
   FROM session_traces 
   WHERE json_extract(judge_metadata, '$.primary') >= 0.8`,
  readTraces: 'SELECT session_id, trace_data FROM session_traces',
  update: 'UPDATE session_traces SET judge_metadata = ? WHERE session_id = ?',
};

describe('seed SQL through sqlite3', () => {
  let db: string;
  let store: TraceStore;

  before(async () => {
    db = path.join(tempDir(), 'traces', 'v3', 'crafter_eval.db');
    store = (await openTraceStore(db))!;
    await recordSample({ store, sessionId: 'rollout-a', turns: 20, reward: 1, startAt: 1_761_177_325 });
    await recordSample({ store, sessionId: 'rollout-b', turns: 20, reward: 2.5, startAt: 1_761_177_400 });
    await recordSample({ store, sessionId: 'rollout-zero', turns: 0, reward: 0, startAt: 1_761_177_500 });
    await store.mergeJudgeMetadata('rollout-a', { primary: 0.85, reasoning: 'collected wood', event: 0.78 });
    await store.mergeJudgeMetadata('rollout-b', { primary: 0.72, reasoning: 'survived' });
  });
  after(() => store.close());

  it('seed 002: SELECT COUNT(*) FROM messages counts every message (system + user + assistant)', () => {
    assert.equal(sqlite3(db, SEED_002.countMessages).trim(), '120');
    const byType = sqlite3(
      db,
      'SELECT message_type, COUNT(*) FROM messages GROUP BY message_type ORDER BY 1',
    );
    assert.equal(byType.trim(), 'assistant|40\nsystem|40\nuser|40');
  });

  it('seed 002: outcome_rewards with total_reward > 0 (a real number, not truncated)', () => {
    assert.equal(sqlite3(db, SEED_002.countRewarded).trim(), '2');
    assert.equal(
      sqlite3(
        db,
        "SELECT total_reward, typeof(total_reward) FROM outcome_rewards WHERE session_id = 'rollout-b'",
      ).trim(),
      '2.5|real',
    );
  });

  it("seed 002: a session's messages ordered by timestamp are the recorded turns, as chat JSON", () => {
    const out = sqlite3WithParams(db, SEED_002.sessionMessages, { ':session_id': 'rollout-a' });
    const rows = out.trim().split('\n');
    assert.equal(rows.length, 60);
    const types = rows.slice(0, 6).map((r) => r.split('|')[0]);
    assert.deepEqual(types, ['system', 'user', 'assistant', 'system', 'user', 'assistant']);
    const stamps = rows.map((r) => r.slice(r.lastIndexOf('|') + 1));
    assert.deepEqual([...stamps].sort(), stamps, 'timestamps ascend');
    assert.ok(
      stamps.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s)),
      'every timestamp is set',
    );
    const user = sqlite3WithParams(db, `SELECT content FROM (${SEED_002.sessionMessages}) LIMIT 1 OFFSET 1`, {
      ':session_id': 'rollout-a',
    });
    assert.deepEqual(JSON.parse(user), { role: 'user', content: '=== CRAFTER GAME STATE ===\nStep: 0/10' });
  });

  it("seed 002: a session's outcome row", () => {
    const out = sqlite3WithParams(db, SEED_002.sessionOutcome, { ':session_id': 'rollout-b' });
    assert.equal(out.trim(), '2.5|1');
  });

  it('seed 000: view all judge scores, best first', () => {
    const rows = sqlite3(db, SEED_000.viewScores).trim().split('\n');
    assert.deepEqual(rows, ['rollout-a|0.85|collected wood|1.0', 'rollout-b|0.72|survived|2.5']);
  });

  it('seed 000: count, average and max of high-quality traces', () => {
    const [total, avg, max] = sqlite3(db, SEED_000.highQuality).trim().split('|');
    assert.equal(total, '2');
    assert.ok(Math.abs(Number(avg) - 0.785) < 1e-9);
    assert.equal(max, '0.85');
  });

  it('seed 000: CSV export with header', () => {
    const csv = sqlite3(db, SEED_000.exportCsv, ['-header', '-csv']).trim().split(/\r?\n/);
    assert.equal(csv[0], 'session_id,created_at,score,total_reward,reasoning');
    assert.equal(csv.length, 2);
    assert.match(csv[1]!, /^rollout-a,2025-10-2\dT[\d:.]+Z,0\.85,1\.0,"collected wood"$/);
  });

  it('seed 000: the Python judge loop reads trace_data as the whole trace', () => {
    const out = sqlite3(
      db,
      `SELECT json_extract(trace_data, '$.session_id'), json_array_length(trace_data, '$.event_history') FROM (${SEED_000.readTraces}) ORDER BY 1`,
    );
    assert.equal(out.trim(), 'rollout-a|40\nrollout-b|40\nrollout-zero|0');
  });

  it('seed 000: UPDATE ... SET judge_metadata via sqlite3 is what our API then reads', async () => {
    const verdict = {
      primary: 0.93,
      event: 0.8,
      outcome: 0.9,
      reasoning: 'Agent successfully made a pickaxe',
      metadata: { achievements: 5 },
    };
    sqlite3WithParams(db, SEED_000.update, { '?1': JSON.stringify(verdict), '?2': 'rollout-zero' });
    const trace = await store.getSession('rollout-zero');
    assert.deepEqual(trace?.judge_metadata, verdict);
    const selected = [];
    for await (const s of store.listSessions({ minJudgeScores: { primary: 0.9 } }))
      selected.push(s.session_id);
    assert.deepEqual(selected, ['rollout-zero']);
    await store.mergeJudgeMetadata('rollout-zero', { crafter_judge: 0.4 });
    const merged = JSON.parse(
      sqlite3(db, "SELECT judge_metadata FROM session_traces WHERE session_id = 'rollout-zero'"),
    );
    assert.deepEqual(merged, { ...verdict, crafter_judge: 0.4 });
  });
});
