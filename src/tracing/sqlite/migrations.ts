/**
 * Schema versions and forward migrations. A fresh DB runs every migration; a DB written by the Python
 * synth-ai (its v3 tables, no `synth_ai_schema` table) counts as version 0 and is brought forward in place,
 * keeping every row. A DB newer than this code is refused rather than guessed at.
 * @module
 */
import { UsageError } from '../../errors.ts';
import type { SqlExecutor } from './executor.ts';
import {
  BASE_INDEXES,
  BASE_TABLES,
  COMPAT_TRIGGERS,
  SCHEMA_TABLE,
  SELECTION_INDEXES,
  VIEW_NAMES,
  VIEWS,
} from './schema.ts';
import { shuffleKey } from './shuffle-key.ts';

interface Migration {
  version: number;
  description: string;
  apply(tx: SqlExecutor): Promise<void>;
}

/** Columns we add to `session_traces` beyond synth-ai's. */
const EXTRA_SESSION_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['judge_metadata', 'TEXT'],
  ['total_reward', 'REAL'],
  ['trace_data', 'TEXT'],
  ['shuffle_key', 'INTEGER'],
];

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'synth-ai tracing v3 tables and indexes',
    async apply(tx) {
      for (const sql of [...BASE_TABLES, ...BASE_INDEXES]) await tx.run(sql);
    },
  },
  {
    version: 2,
    description: 'judge_metadata, total_reward, trace_data; USD cost; selection indexes; compat triggers',
    async apply(tx) {
      const have = new Set((await tx.all('PRAGMA table_info(session_traces)')).map((r) => String(r['name'])));
      for (const [name, type] of EXTRA_SESSION_COLUMNS) {
        if (!have.has(name)) await tx.run(`ALTER TABLE session_traces ADD COLUMN ${name} ${type}`);
      }
      // Every cost row present before this migration was written by synth-ai, in integer cents.
      await tx.run('UPDATE events SET cost_usd = cost_usd / 100.0 WHERE cost_usd IS NOT NULL');
      // synth-ai's filter reads the first outcome row as the official score.
      await tx.run(`UPDATE session_traces SET total_reward = (
          SELECT o.total_reward FROM outcome_rewards o
          WHERE o.session_id = session_traces.session_id ORDER BY o.id LIMIT 1)
        WHERE total_reward IS NULL`);
      await tx.run(`UPDATE session_traces SET judge_metadata = json_extract(metadata, '$.judge_scores')
        WHERE judge_metadata IS NULL AND json_valid(metadata)
          AND json_type(metadata, '$.judge_scores') = 'object'`);
      // 'YYYY-MM-DD HH:MM:SS' (SQLAlchemy) → ISO 'T' form, so string comparisons on created_at hold.
      await tx.run(`UPDATE session_traces SET created_at = substr(created_at, 1, 10) || 'T' || substr(created_at, 12)
        WHERE substr(created_at, 11, 1) = ' '`);
      // synth-ai's native writer left messages.timestamp empty; order needs it.
      await tx.run(`UPDATE messages SET timestamp = strftime('%Y-%m-%dT%H:%M:%fZ', event_time, 'unixepoch')
        WHERE timestamp IS NULL AND event_time IS NOT NULL`);
      const ids = await tx.all('SELECT session_id FROM session_traces WHERE shuffle_key IS NULL');
      for (const row of ids) {
        const id = String(row['session_id']);
        await tx.run('UPDATE session_traces SET shuffle_key = ? WHERE session_id = ?', [shuffleKey(id), id]);
      }
      for (const name of VIEW_NAMES) await tx.run(`DROP VIEW IF EXISTS ${name}`);
      for (const sql of [...VIEWS, ...SELECTION_INDEXES, ...COMPAT_TRIGGERS]) await tx.run(sql);
    },
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** What an opened file holds, before any change is made to it. */
export interface SchemaState {
  /** 0 for an empty DB or one written by the Python synth-ai. */
  version: number;
  kind: 'empty' | 'synth-ai-python' | 'ours';
}

/** Reads the schema state, refusing files that are not trace DBs or are newer than this code. */
export async function inspectSchema(db: SqlExecutor, where: string): Promise<SchemaState> {
  const tables = new Set(
    (await db.all("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => String(r['name'])),
  );
  if (tables.has('synth_ai_schema')) {
    const row = (await db.all('SELECT MAX(version) AS v FROM synth_ai_schema'))[0];
    const version = Number(row?.['v'] ?? 0);
    if (version > SCHEMA_VERSION) {
      throw new UsageError(
        `trace DB ${where} has schema version ${version}, newer than this synth-ai understands (${SCHEMA_VERSION})`,
        { hint: 'upgrade synth-ai, or point at another trace DB' },
      );
    }
    return { version, kind: 'ours' };
  }
  if (tables.has('session_traces')) return { version: 0, kind: 'synth-ai-python' };
  const own = [...tables].filter((t) => !t.startsWith('sqlite_'));
  if (own.length > 0) {
    throw new UsageError(
      `${where} is a SQLite database without trace tables (it has: ${own.slice(0, 5).join(', ')})`,
      {
        hint: 'point at a synth-ai trace DB, or at a new file name to create one',
      },
    );
  }
  return { version: 0, kind: 'empty' };
}

/** Applies every migration newer than the DB's version, each in its own transaction. */
export async function migrate(db: SqlExecutor, where: string): Promise<SchemaState> {
  const state = await inspectSchema(db, where);
  for (const m of MIGRATIONS) {
    if (m.version <= state.version) continue;
    await db.transaction(async (tx) => {
      // Re-check inside the write lock: another process may have migrated meanwhile.
      const now = await inspectSchema(tx, where);
      if (now.version >= m.version) return;
      await tx.run(SCHEMA_TABLE);
      await m.apply(tx);
      await tx.run('INSERT INTO synth_ai_schema (version, applied_at, description) VALUES (?, ?, ?)', [
        m.version,
        new Date().toISOString(),
        m.description,
      ]);
    });
  }
  return inspectSchema(db, where);
}
