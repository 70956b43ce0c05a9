/**
 * Named-judge bounds are SQL: a verdict object written by the judge stage (`$.<name>.primary`) and a bare
 * number written by an external UPDATE (`$.<name>`) both match; anything else fails a min or a max.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { resolveFilterOptions, runFilter } from '../../src/filter/index.ts';
import { openTraceStore } from '../../src/tracing/index.ts';
import type { SessionSelection } from '../../src/tracing/store.ts';
import { crafterTurn, readLines, tempDir, writeDb } from './fixtures.ts';

const verdict = (primary: number) => ({ status: 'ok', primary, event: null, outcome: null, reasoning: 'r' });

async function makeDb(): Promise<string> {
  const db = await writeDb([
    { id: 'obj-high', messages: crafterTurn(0, ['do']), judge: { primary: 0.5, qa: verdict(0.9) } },
    { id: 'obj-low', messages: crafterTurn(1, ['noop']), judge: { primary: 0.5, qa: verdict(0.2) } },
    { id: 'num-high', messages: crafterTurn(2, ['move_left']), judge: { primary: 0.5 } },
    { id: 'text', messages: crafterTurn(3, ['move_up']), judge: { primary: 0.5, qa: 'high' } },
    { id: 'no-score', messages: crafterTurn(4, ['sleep']), judge: { primary: 0.5, qa: { status: 'ok' } } },
    { id: 'unjudged', messages: crafterTurn(5, ['place_table']), judge: null },
  ]);
  // The Python synth-ai, or someone with sqlite3, writes a bare number under the judge's name.
  const conn = new Database(db);
  conn
    .prepare(
      "UPDATE session_traces SET judge_metadata = json_set(judge_metadata, '$.qa', 0.8) WHERE session_id = ?",
    )
    .run('num-high');
  conn.close();
  return db;
}

async function ids(db: string, selection: SessionSelection): Promise<string[]> {
  const store = await openTraceStore(db);
  assert.ok(store);
  const out: string[] = [];
  try {
    for await (const s of store.listSessions(selection)) out.push(s.session_id);
    assert.equal(await store.countSessions(selection), out.length);
  } finally {
    await store.close();
  }
  return out.sort();
}

describe('named-judge bounds in SQL', () => {
  it('compare a verdict object by its primary and a bare number as is', async () => {
    const db = await makeDb();
    assert.deepEqual(await ids(db, { minJudgeScores: { qa: 0.5 } }), ['num-high', 'obj-high']);
    assert.deepEqual(await ids(db, { maxJudgeScores: { qa: 0.5 } }), ['obj-low']);
    assert.deepEqual(await ids(db, { minJudgeScores: { qa: 0.85 } }), ['obj-high']);
    assert.deepEqual(await ids(db, { minJudgeScores: { qa: 0 }, maxJudgeScores: { qa: 1 } }), [
      'num-high',
      'obj-high',
      'obj-low',
    ]);
    assert.deepEqual(await ids(db, { minJudgeScores: { missing_judge: 0 } }), []);
  });

  it('the filter counts what a named-judge bound drops from SQL and writes only what passed', async () => {
    const db = await makeDb();
    const output = join(tempDir(), 'out.jsonl');
    const result = await runFilter(
      resolveFilterOptions(undefined, { db, output, criteria: { minJudgeScores: { qa: 0.5 } } }),
    );
    assert.deepEqual(result.counts.dropped, [{ criterion: 'min_judge_scores.qa', sessions: 4 }]);
    assert.equal(result.counts.sessionsMatched, 2);
    assert.equal(result.counts.sessionsRead, 2);
    const sessions = readLines(output).map((l) => l.metadata.session_id);
    assert.deepEqual(sessions.sort(), ['num-high', 'obj-high']);
  });
});
