import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { resolveFilterOptions, runFilter, validateJsonlFile } from '../../src/filter/index.ts';
import { readLines, tempDir } from './fixtures.ts';

/** A DB as the Python synth-ai (tracing v3, judge era) wrote it: its DDL, its JSON wrappers, its repr strings. */
function writePythonDb(path: string): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE session_traces (session_id VARCHAR PRIMARY KEY, created_at DATETIME NOT NULL,
      num_timesteps INTEGER NOT NULL, num_events INTEGER NOT NULL, num_messages INTEGER NOT NULL,
      metadata TEXT, experiment_id VARCHAR, embedding BLOB);
    CREATE TABLE session_timesteps (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL,
      step_id VARCHAR NOT NULL, step_index INTEGER NOT NULL, turn_number INTEGER, started_at DATETIME,
      completed_at DATETIME, num_events INTEGER, num_messages INTEGER, step_metadata TEXT, UNIQUE(session_id, step_id));
    CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL, timestep_id INTEGER,
      event_type VARCHAR NOT NULL, system_instance_id VARCHAR, event_time FLOAT, message_time INTEGER, created_at DATETIME,
      model_name VARCHAR, provider VARCHAR, input_tokens INTEGER, output_tokens INTEGER, total_tokens INTEGER,
      cost_usd INTEGER, latency_ms INTEGER, span_id VARCHAR, trace_id VARCHAR, call_records TEXT, reward FLOAT,
      terminated BOOLEAN, truncated BOOLEAN, system_state_before TEXT, system_state_after TEXT, metadata TEXT,
      event_metadata TEXT, embedding BLOB);
    CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL, timestep_id INTEGER,
      message_type VARCHAR NOT NULL, content TEXT NOT NULL, timestamp DATETIME, event_time FLOAT, message_time INTEGER,
      metadata TEXT, embedding BLOB);
    CREATE TABLE outcome_rewards (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL,
      total_reward INTEGER NOT NULL, achievements_count INTEGER NOT NULL, total_steps INTEGER NOT NULL,
      created_at DATETIME, reward_metadata TEXT);
  `);
  const session = db.prepare('INSERT INTO session_traces VALUES (?, ?, 0, 0, ?, ?, NULL, NULL)');
  const message = db.prepare(
    'INSERT INTO messages (session_id, message_type, content, timestamp, event_time, metadata) VALUES (?, ?, ?, NULL, ?, ?)',
  );
  const outcome = db.prepare(
    'INSERT INTO outcome_rewards (session_id, total_reward, achievements_count, total_steps, reward_metadata) VALUES (?, ?, ?, 10, ?)',
  );
  const sessions = [
    ['py-good', 0.9, 2],
    ['py-bad', 0.2, 0],
  ] as const;
  for (const [i, [id, score, reward]] of sessions.entries()) {
    const meta = {
      env_name: 'crafter',
      policy_name: 'crafter-react',
      seed: i,
      model: 'Qwen/Qwen3-4B',
      task_split: 'train',
      judge_scores: { primary: score, qa_accuracy: score },
    };
    session.run(id, `2025-10-22 23:55:2${i}.533188`, 6, JSON.stringify(meta));
    let t = 1761177325 + i * 100;
    for (let step = 0; step < 2; step++) {
      message.run(
        id,
        'policy_system_prompt',
        JSON.stringify({ text: 'You are a Crafter agent.' }),
        t++,
        '{}',
      );
      message.run(
        id,
        'policy_user_prompt',
        JSON.stringify({ payload: { content: `=== CRAFTER GAME STATE ===\nStep: ${step}/10000` } }),
        t++,
        '{}',
      );
      message.run(
        id,
        'policy_tool_call',
        `[{'tool_name': 'interact_many', 'arguments': {'actions': ['move_up', 'do'], 'note': "it's ok"}}]`,
        t++,
        '{}',
      );
    }
    outcome.run(id, reward, reward, '{}');
  }
  db.close();
}

describe('a DB written by the Python synth-ai', () => {
  it('filters by its judge_scores and integer total_reward, and emits real tool_calls', async () => {
    const dir = tempDir();
    const db = join(dir, 'python.db');
    writePythonDb(db);
    const output = join(dir, 'out.jsonl');
    const result = await runFilter(
      resolveFilterOptions(undefined, {
        db: `sqlite+aiosqlite:///${db}`,
        output,
        criteria: { minJudgeScores: { primary: 0.5, qa_accuracy: 0.5 }, minOfficialScore: 1 },
      }),
    );
    assert.deepEqual(result.counts.dropped, [
      { criterion: 'min_official_score', sessions: 1 },
      { criterion: 'min_judge_scores.primary', sessions: 0 },
      { criterion: 'min_judge_scores.qa_accuracy', sessions: 0 },
    ]);
    const lines = readLines(output);
    assert.equal(lines.length, 2);
    assert.deepEqual(lines[0].messages, [
      { role: 'system', content: 'You are a Crafter agent.' },
      { role: 'user', content: '=== CRAFTER GAME STATE ===\nStep: 0/10000' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_2_0',
            type: 'function',
            function: {
              name: 'interact_many',
              arguments: JSON.stringify({ actions: ['move_up', 'do'], note: "it's ok" }),
            },
          },
        ],
      },
    ]);
    assert.equal(lines[0].metadata.total_reward, 2);
    assert.equal(lines[0].metadata.model, 'Qwen/Qwen3-4B');
    assert.deepEqual(lines[0].metadata.judge_scores, { primary: 0.9, qa_accuracy: 0.9 });
    assert.equal((await validateJsonlFile(output)).badCount, 0);
  });
  it('reads the same through the I/O thread (foreign message types, plain-text content)', async () => {
    const dir = tempDir();
    const db = join(dir, 'python.db');
    writePythonDb(db);
    const texts = [];
    for (const ioThread of [false, true]) {
      const output = join(dir, `out-${ioThread}.jsonl`);
      const options = resolveFilterOptions(undefined, { db, output, criteria: {} });
      const result = await runFilter(options, { ioThread });
      texts.push({ text: readFileSync(output, 'utf8'), counts: result.counts });
    }
    assert.ok(texts[0]!.text.length > 0);
    assert.equal(texts[1]!.text, texts[0]!.text);
    assert.deepEqual(texts[1]!.counts, texts[0]!.counts);
  });
});
