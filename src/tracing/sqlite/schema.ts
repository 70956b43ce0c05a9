/**
 * DDL of the trace database: synth-ai tracing v3's tables, columns and CHECK constraints, with our fixes
 * (money as REAL USD, real-valued total_reward). Statements are idempotent (`IF NOT EXISTS`) so the same
 * text creates a fresh DB and leaves an existing Python-written one alone; migrations add the rest.
 * @module
 */

/** The v3 tables as synth-ai names them. `cost_usd` and `total_reward` are REAL here (the original: INTEGER). */
export const BASE_TABLES: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS experiments (
    experiment_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    description TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    configuration TEXT,
    metadata TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS systems (
    system_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    system_type VARCHAR,
    description TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    metadata TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS system_versions (
    version_id VARCHAR PRIMARY KEY,
    system_id VARCHAR NOT NULL,
    version_number VARCHAR NOT NULL,
    commit_hash VARCHAR,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    configuration TEXT,
    metadata TEXT,
    FOREIGN KEY(system_id) REFERENCES systems(system_id),
    UNIQUE(system_id, version_number)
  )`,
  `CREATE TABLE IF NOT EXISTS experimental_systems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    experiment_id VARCHAR NOT NULL,
    system_id VARCHAR NOT NULL,
    version_id VARCHAR NOT NULL,
    FOREIGN KEY(experiment_id) REFERENCES experiments(experiment_id),
    FOREIGN KEY(system_id) REFERENCES systems(system_id),
    FOREIGN KEY(version_id) REFERENCES system_versions(version_id)
  )`,
  `CREATE TABLE IF NOT EXISTS session_traces (
    session_id VARCHAR PRIMARY KEY,
    created_at DATETIME NOT NULL,
    num_timesteps INTEGER NOT NULL,
    num_events INTEGER NOT NULL,
    num_messages INTEGER NOT NULL,
    metadata TEXT,
    experiment_id VARCHAR,
    embedding VECTOR,
    FOREIGN KEY(experiment_id) REFERENCES experiments(experiment_id)
  )`,
  `CREATE TABLE IF NOT EXISTS session_timesteps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id VARCHAR NOT NULL,
    step_id VARCHAR NOT NULL,
    step_index INTEGER NOT NULL,
    turn_number INTEGER,
    started_at DATETIME,
    completed_at DATETIME,
    num_events INTEGER,
    num_messages INTEGER,
    step_metadata TEXT,
    UNIQUE(session_id, step_id),
    FOREIGN KEY(session_id) REFERENCES session_traces(session_id)
  )`,
  `CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id VARCHAR NOT NULL,
    timestep_id INTEGER,
    event_type VARCHAR NOT NULL,
    system_instance_id VARCHAR,
    event_time FLOAT,
    message_time INTEGER,
    created_at DATETIME,
    model_name VARCHAR,
    provider VARCHAR,
    input_tokens INTEGER,
    output_tokens INTEGER,
    total_tokens INTEGER,
    cost_usd REAL,
    latency_ms INTEGER,
    span_id VARCHAR,
    trace_id VARCHAR,
    call_records TEXT,
    reward FLOAT,
    terminated BOOLEAN,
    truncated BOOLEAN,
    system_state_before TEXT,
    system_state_after TEXT,
    metadata TEXT,
    event_metadata TEXT,
    embedding VECTOR,
    CHECK (event_type IN ('cais', 'environment', 'runtime')),
    FOREIGN KEY(session_id) REFERENCES session_traces(session_id),
    FOREIGN KEY(timestep_id) REFERENCES session_timesteps(id)
  )`,
  `CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id VARCHAR NOT NULL,
    timestep_id INTEGER,
    message_type VARCHAR NOT NULL,
    content TEXT NOT NULL,
    timestamp DATETIME,
    event_time FLOAT,
    message_time INTEGER,
    metadata TEXT,
    embedding VECTOR,
    CHECK (message_type IN ('user', 'assistant', 'system', 'tool_use', 'tool_result')),
    FOREIGN KEY(session_id) REFERENCES session_traces(session_id),
    FOREIGN KEY(timestep_id) REFERENCES session_timesteps(id)
  )`,
  `CREATE TABLE IF NOT EXISTS outcome_rewards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id VARCHAR NOT NULL,
    total_reward REAL NOT NULL,
    achievements_count INTEGER NOT NULL,
    total_steps INTEGER NOT NULL,
    created_at DATETIME NOT NULL,
    reward_metadata TEXT,
    FOREIGN KEY(session_id) REFERENCES session_traces(session_id)
  )`,
  `CREATE TABLE IF NOT EXISTS event_rewards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL,
    session_id VARCHAR NOT NULL,
    message_id INTEGER,
    turn_number INTEGER,
    reward_value FLOAT NOT NULL,
    reward_type VARCHAR,
    "key" VARCHAR,
    annotation TEXT,
    source VARCHAR,
    created_at DATETIME NOT NULL,
    FOREIGN KEY(event_id) REFERENCES events(id),
    FOREIGN KEY(session_id) REFERENCES session_traces(session_id),
    FOREIGN KEY(message_id) REFERENCES messages(id)
  )`,
];

/** The original's indexes, by the same names. */
export const BASE_INDEXES: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS idx_session_created ON session_traces (created_at)',
  'CREATE INDEX IF NOT EXISTS idx_session_experiment ON session_traces (experiment_id)',
  'CREATE INDEX IF NOT EXISTS idx_timestep_session_step ON session_timesteps (session_id, step_id)',
  'CREATE INDEX IF NOT EXISTS idx_timestep_turn ON session_timesteps (turn_number)',
  'CREATE INDEX IF NOT EXISTS idx_event_session_step ON events (session_id, timestep_id)',
  'CREATE INDEX IF NOT EXISTS idx_event_type ON events (event_type)',
  'CREATE INDEX IF NOT EXISTS idx_event_created ON events (created_at)',
  'CREATE INDEX IF NOT EXISTS idx_event_model ON events (model_name)',
  'CREATE INDEX IF NOT EXISTS idx_event_trace ON events (trace_id)',
  'CREATE INDEX IF NOT EXISTS idx_message_session_step ON messages (session_id, timestep_id)',
  'CREATE INDEX IF NOT EXISTS idx_message_type ON messages (message_type)',
  'CREATE INDEX IF NOT EXISTS idx_message_timestamp ON messages (timestamp)',
  'CREATE INDEX IF NOT EXISTS idx_experiment_created ON experiments (created_at)',
  'CREATE INDEX IF NOT EXISTS idx_experiment_name ON experiments (name)',
  'CREATE INDEX IF NOT EXISTS idx_system_name ON systems (name)',
  'CREATE INDEX IF NOT EXISTS idx_system_type ON systems (system_type)',
  'CREATE UNIQUE INDEX IF NOT EXISTS uq_system_version ON system_versions (system_id, version_number)',
  'CREATE INDEX IF NOT EXISTS idx_version_system ON system_versions (system_id)',
  'CREATE INDEX IF NOT EXISTS idx_version_created ON system_versions (created_at)',
  'CREATE UNIQUE INDEX IF NOT EXISTS uq_experiment_system ON experimental_systems (experiment_id, system_id)',
  'CREATE INDEX IF NOT EXISTS idx_experimental_system ON experimental_systems (experiment_id, system_id)',
  'CREATE INDEX IF NOT EXISTS idx_outcome_rewards_session ON outcome_rewards (session_id)',
  'CREATE INDEX IF NOT EXISTS idx_outcome_rewards_total ON outcome_rewards (total_reward)',
  'CREATE INDEX IF NOT EXISTS idx_event_rewards_session ON event_rewards (session_id)',
  'CREATE INDEX IF NOT EXISTS idx_event_rewards_event ON event_rewards (event_id)',
  'CREATE INDEX IF NOT EXISTS idx_event_rewards_type ON event_rewards (reward_type)',
  'CREATE INDEX IF NOT EXISTS idx_event_rewards_key ON event_rewards ("key")',
];

/**
 * Indexes for what the filter and the judges select on. Expression indexes must repeat the exact
 * expression the selection SQL uses (`selection-sql.ts`), or SQLite will not use them.
 */
export const SELECTION_INDEXES: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS idx_session_created_id ON session_traces (created_at, session_id)',
  'CREATE INDEX IF NOT EXISTS idx_session_total_reward ON session_traces (total_reward)',
  "CREATE INDEX IF NOT EXISTS idx_session_task_split ON session_traces (json_extract(metadata, '$.task_split'))",
  "CREATE INDEX IF NOT EXISTS idx_session_task_id ON session_traces (json_extract(metadata, '$.task_id'))",
  "CREATE INDEX IF NOT EXISTS idx_session_model ON session_traces (json_extract(metadata, '$.model'))",
  "CREATE INDEX IF NOT EXISTS idx_session_judge_primary ON session_traces (json_extract(judge_metadata, '$.primary'))",
  "CREATE INDEX IF NOT EXISTS idx_session_judge_event ON session_traces (json_extract(judge_metadata, '$.event'))",
  "CREATE INDEX IF NOT EXISTS idx_session_judge_outcome ON session_traces (json_extract(judge_metadata, '$.outcome'))",
  'CREATE INDEX IF NOT EXISTS idx_message_session_order ON messages (session_id, timestamp, id)',
];

/** Views as synth-ai defines them, except that cost is already USD here: no division by 100. */
export const VIEWS: readonly string[] = [
  `CREATE VIEW model_usage_stats AS
    SELECT model_name, provider, COUNT(*) AS usage_count,
      SUM(input_tokens) AS total_input_tokens, SUM(output_tokens) AS total_output_tokens,
      SUM(total_tokens) AS total_tokens, SUM(cost_usd) AS total_cost_usd,
      AVG(latency_ms) AS avg_latency_ms, MIN(created_at) AS first_used, MAX(created_at) AS last_used
    FROM events
    WHERE event_type = 'cais' AND model_name IS NOT NULL
    GROUP BY model_name, provider`,
  `CREATE VIEW session_summary AS
    SELECT s.session_id, s.created_at, s.num_timesteps, s.num_events, s.num_messages,
      e.experiment_id, e.name AS experiment_name,
      COUNT(DISTINCT ev.model_name) AS unique_models_used,
      SUM(CASE WHEN ev.event_type = 'cais' THEN ev.cost_usd ELSE 0 END) AS total_cost_usd
    FROM session_traces s
    LEFT JOIN experiments e ON s.experiment_id = e.experiment_id
    LEFT JOIN events ev ON s.session_id = ev.session_id
    GROUP BY s.session_id`,
  `CREATE VIEW experiment_overview AS
    SELECT e.experiment_id, e.name, e.description, e.created_at,
      COUNT(DISTINCT s.session_id) AS session_count, SUM(s.num_events) AS total_events,
      SUM(s.num_messages) AS total_messages, AVG(s.num_timesteps) AS avg_timesteps_per_session
    FROM experiments e
    LEFT JOIN session_traces s ON e.experiment_id = s.experiment_id
    GROUP BY e.experiment_id`,
];

/** The view names, to drop the original's cents-based views before creating ours. */
export const VIEW_NAMES = ['model_usage_stats', 'session_summary', 'experiment_overview'] as const;

/**
 * Triggers that keep our derived columns right when another program (the Python synth-ai, a script)
 * writes the v3 tables without knowing them: the outcome fills `total_reward`, and
 * `metadata.judge_scores` fills `judge_metadata`.
 */
export const COMPAT_TRIGGERS: readonly string[] = [
  `CREATE TRIGGER IF NOT EXISTS trg_outcome_total_reward AFTER INSERT ON outcome_rewards
    BEGIN
      UPDATE session_traces SET total_reward = NEW.total_reward
      WHERE session_id = NEW.session_id AND total_reward IS NULL;
    END`,
  `CREATE TRIGGER IF NOT EXISTS trg_session_judge_scores_insert AFTER INSERT ON session_traces
    WHEN NEW.judge_metadata IS NULL AND json_valid(NEW.metadata)
      AND json_type(NEW.metadata, '$.judge_scores') = 'object'
    BEGIN
      UPDATE session_traces SET judge_metadata = json_extract(NEW.metadata, '$.judge_scores')
      WHERE session_id = NEW.session_id;
    END`,
  `CREATE TRIGGER IF NOT EXISTS trg_session_judge_scores_update AFTER UPDATE OF metadata ON session_traces
    WHEN NEW.judge_metadata IS NULL AND json_valid(NEW.metadata)
      AND json_type(NEW.metadata, '$.judge_scores') = 'object'
    BEGIN
      UPDATE session_traces SET judge_metadata = json_extract(NEW.metadata, '$.judge_scores')
      WHERE session_id = NEW.session_id;
    END`,
];

/** The table that records which schema versions were applied. */
export const SCHEMA_TABLE = `CREATE TABLE IF NOT EXISTS synth_ai_schema (
  version INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL,
  description TEXT NOT NULL
)`;
