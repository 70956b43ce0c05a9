/**
 * A DB written by the Python synth-ai (its native manager's DDL: integer cents, integer total_reward, no
 * judge_metadata / total_reward / trace_data columns, judge scores inside metadata, empty message
 * timestamps) opens, migrates forward in place without losing rows, and reads correctly.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openTraceStore } from '../../src/tracing/open-store.ts';
import { SCHEMA_VERSION } from '../../src/tracing/sqlite/migrations.ts';
import { tempDir } from './fixtures.ts';
import { sqlite3 } from './sqlite3-cli.ts';

const PYTHON_DDL = `
CREATE TABLE experiments (experiment_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, description TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, configuration TEXT, metadata TEXT);
CREATE TABLE session_traces (session_id VARCHAR PRIMARY KEY, created_at DATETIME NOT NULL, num_timesteps INTEGER NOT NULL,
  num_events INTEGER NOT NULL, num_messages INTEGER NOT NULL, metadata TEXT, experiment_id VARCHAR, embedding VECTOR);
CREATE TABLE session_timesteps (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL, step_id VARCHAR NOT NULL,
  step_index INTEGER NOT NULL, turn_number INTEGER, started_at DATETIME, completed_at DATETIME, num_events INTEGER,
  num_messages INTEGER, step_metadata TEXT, UNIQUE(session_id, step_id));
CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL, timestep_id INTEGER,
  event_type VARCHAR NOT NULL, system_instance_id VARCHAR, event_time FLOAT, message_time INTEGER, created_at DATETIME,
  model_name VARCHAR, provider VARCHAR, input_tokens INTEGER, output_tokens INTEGER, total_tokens INTEGER,
  cost_usd INTEGER, latency_ms INTEGER, span_id VARCHAR, trace_id VARCHAR, call_records TEXT, reward FLOAT,
  terminated BOOLEAN, truncated BOOLEAN, system_state_before TEXT, system_state_after TEXT, metadata TEXT,
  event_metadata TEXT, embedding VECTOR, CHECK (event_type IN ('cais', 'environment', 'runtime')));
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL, timestep_id INTEGER,
  message_type VARCHAR NOT NULL, content TEXT NOT NULL, timestamp DATETIME, event_time FLOAT, message_time INTEGER,
  metadata TEXT, embedding VECTOR,
  CHECK (message_type IN ('user', 'assistant', 'system', 'tool_use', 'tool_result')));
CREATE TABLE outcome_rewards (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id VARCHAR NOT NULL, total_reward INTEGER NOT NULL,
  achievements_count INTEGER NOT NULL, total_steps INTEGER NOT NULL, created_at DATETIME NOT NULL, reward_metadata TEXT);
CREATE TABLE event_rewards (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id INTEGER NOT NULL, session_id VARCHAR NOT NULL,
  message_id INTEGER, turn_number INTEGER, reward_value FLOAT NOT NULL, reward_type VARCHAR, "key" VARCHAR,
  annotation TEXT, source VARCHAR, created_at DATETIME NOT NULL);
CREATE INDEX idx_session_created ON session_traces (created_at);
CREATE VIEW model_usage_stats AS SELECT model_name, provider, COUNT(*) as usage_count,
  SUM(cost_usd) / 100.0 as total_cost_usd FROM events WHERE event_type = 'cais' AND model_name IS NOT NULL
  GROUP BY model_name, provider;
`;

const PYTHON_ROWS = `
INSERT INTO session_traces VALUES ('py-1', '2025-10-22T23:55:25.533188+00:00', 1, 2, 3,
  '{"task_split": "train", "model": "gpt-4o-mini", "judge_scores": {"primary": 0.8, "crafter": 0.6}}', NULL, NULL);
INSERT INTO session_traces VALUES ('py-2', '2025-10-23 08:00:00.000000', 0, 0, 0, '{"task_split": "test"}', NULL, NULL);
INSERT INTO session_timesteps (session_id, step_id, step_index, turn_number, started_at, step_metadata)
  VALUES ('py-1', 'turn_0', 0, 0, '2025-10-22T23:55:25.6+00:00', '{}');
INSERT INTO events (session_id, timestep_id, event_type, system_instance_id, event_time, model_name, provider,
  input_tokens, output_tokens, total_tokens, cost_usd, latency_ms, call_records, metadata)
  VALUES ('py-1', 1, 'cais', 'policy', 1761177325.7, 'gpt-4o-mini', 'openai', 100, 10, 110, 12, 300, '[]', '{"step_id": "turn_0"}');
INSERT INTO events (session_id, timestep_id, event_type, system_instance_id, event_time, reward, terminated, truncated, metadata)
  VALUES ('py-1', 1, 'environment', 'crafter', 1761177325.8, 1.0, 0, 0, '{}');
INSERT INTO messages (session_id, timestep_id, message_type, content, timestamp, event_time, metadata)
  VALUES ('py-1', 1, 'system', 'You are playing Crafter.', NULL, 1761177325.61, '{}');
INSERT INTO messages (session_id, timestep_id, message_type, content, timestamp, event_time, metadata)
  VALUES ('py-1', 1, 'user', '{"text": "=== CRAFTER GAME STATE ==="}', NULL, 1761177325.62, '{}');
INSERT INTO messages (session_id, timestep_id, message_type, content, timestamp, event_time, metadata)
  VALUES ('py-1', 1, 'assistant', '{"content": "[{''tool_name'': ''interact_many''}]"}', NULL, 1761177325.63, '{"is_tool_call": true}');
INSERT INTO outcome_rewards (session_id, total_reward, achievements_count, total_steps, created_at, reward_metadata)
  VALUES ('py-1', 3, 3, 1, '2025-10-22T23:56:00+00:00', '{"final_achievements": ["collect_wood"]}');
INSERT INTO event_rewards (event_id, session_id, reward_value, reward_type, source, created_at)
  VALUES (2, 'py-1', 1.0, 'sparse', 'environment', '2025-10-22T23:56:00+00:00');
`;

describe('a DB written by the Python synth-ai', () => {
  it('migrates forward in place, keeps every row, and reads correctly', async () => {
    const db = path.join(tempDir(), 'python.db');
    sqlite3(db, PYTHON_DDL + PYTHON_ROWS);
    const countsBefore = sqlite3(
      db,
      'SELECT (SELECT COUNT(*) FROM session_traces), (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM event_rewards);',
    );

    const store = (await openTraceStore(db))!;
    try {
      assert.equal(sqlite3(db, 'SELECT MAX(version) FROM synth_ai_schema;').trim(), String(SCHEMA_VERSION));
      assert.equal(
        sqlite3(
          db,
          'SELECT (SELECT COUNT(*) FROM session_traces), (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM event_rewards);',
        ),
        countsBefore,
      );
      // Backfills: total_reward from outcome_rewards, judge_metadata from metadata.judge_scores, cents → USD.
      assert.equal(
        sqlite3(
          db,
          "SELECT total_reward, judge_metadata FROM session_traces WHERE session_id = 'py-1';",
        ).trim(),
        '3.0|{"primary":0.8,"crafter":0.6}',
      );
      assert.equal(sqlite3(db, "SELECT cost_usd FROM events WHERE event_type = 'cais';").trim(), '0.12');
      assert.equal(sqlite3(db, 'SELECT total_cost_usd FROM model_usage_stats;').trim(), '0.12');
      assert.equal(
        sqlite3(db, "SELECT created_at FROM session_traces WHERE session_id = 'py-2';").trim(),
        '2025-10-23T08:00:00.000000',
      );
      assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM messages WHERE timestamp IS NULL;').trim(), '0');

      const selected: string[] = [];
      for await (const s of store.iterateSessionsWithMessages({
        splits: ['train'],
        minOfficialScore: 2,
        minJudgeScores: { primary: 0.7 },
      })) {
        selected.push(s.session_id);
        assert.deepEqual(
          s.messages.map((m) => m.content),
          [
            { role: 'system', content: 'You are playing Crafter.' },
            { role: 'user', content: '=== CRAFTER GAME STATE ===' },
            { role: 'assistant', content: "[{'tool_name': 'interact_many'}]" },
          ],
        );
        assert.deepEqual(s.outcome, {
          total_reward: 3,
          achievements_count: 3,
          total_steps: 1,
          reward_metadata: { final_achievements: ['collect_wood'] },
        });
      }
      assert.deepEqual(selected, ['py-1']);

      const trace = await store.getSession('py-1');
      assert.equal(trace?.session_time_steps.length, 1);
      assert.equal(trace?.session_time_steps[0]?.events.length, 2);
      assert.equal(trace?.event_history[0]?.event_type, 'cais');
      assert.equal(trace?.event_history[0]?.event_type === 'cais' && trace.event_history[0].cost_usd, 0.12);
      assert.deepEqual(
        trace?.event_rewards.map((r) => [r.event_index, r.reward_value]),
        [[1, 1]],
      );
      assert.deepEqual(trace?.judge_metadata, { primary: 0.8, crafter: 0.6 });

      // A Python writer keeps writing after the migration: triggers fill our derived columns.
      sqlite3(
        db,
        `INSERT INTO session_traces (session_id, created_at, num_timesteps, num_events, num_messages, metadata)
        VALUES ('py-3', '2025-10-24T00:00:00+00:00', 0, 0, 0, '{"judge_scores": {"primary": 0.95}}');
        INSERT INTO outcome_rewards (session_id, total_reward, achievements_count, total_steps, created_at)
        VALUES ('py-3', 7, 7, 0, '2025-10-24T00:00:00+00:00');`,
      );
      const py3 = [];
      for await (const s of store.listSessions({ minJudgeScores: { primary: 0.9 }, minOfficialScore: 5 }))
        py3.push(s.session_id);
      assert.deepEqual(py3, ['py-3']);
    } finally {
      await store.close();
    }
    // Opening again is a no-op: no second migration, same rows.
    const again = (await openTraceStore(db))!;
    assert.equal(await again.countSessions(), 3);
    await again.close();
    assert.equal(sqlite3(db, 'SELECT COUNT(*) FROM synth_ai_schema;').trim(), String(SCHEMA_VERSION));
  });
});
