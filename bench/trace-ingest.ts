/**
 * Trace ingest: sessions of 40 messages and 40 events written by 64 concurrent writers through
 * SessionTracer + the SQLite store, against the bound: the same rows (built beforehand) inserted with
 * prepared statements in large transactions, in the same run. RSS is sampled while writing.
 *
 *   npx tsx bench/trace-ingest.ts [--sessions N] [--writers W] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { SessionTracer } from '../src/tracing/session-tracer.ts';
import { createSessionInserter } from '../src/tracing/sqlite/insert-session.ts';
import { buildSessionRows } from '../src/tracing/sqlite/session-rows.ts';
import { createSqliteTraceStore } from '../src/tracing/sqlite/sqlite-store.ts';
import type { TraceStore } from '../src/tracing/store.ts';
import type { SessionTrace } from '../src/tracing/types.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SESSIONS = flag('--sessions', 3000);
const WRITERS = flag('--writers', 64);
const BOUND_SESSIONS = Math.min(SESSIONS, 4000);
const JSON_OUT = args.includes('--json');
const TURNS = 20; // 2 messages and 2 events per turn: 40 + 40

const OBSERVATION = `=== CRAFTER GAME STATE ===\nStep: 12/10000\nHealth: 9\nInventory: wood:2, sapling:1\n${'grass tree water stone '.repeat(20)}`;

/** Records one session the way a rollout does. */
async function rollout(id: string, store: TraceStore | null): Promise<SessionTrace> {
  const tracer = new SessionTracer({ store });
  tracer.startSession({
    sessionId: id,
    metadata: { task_split: 'train', task_id: 'crafter', model: 'gpt-4o-mini', seed: 1 },
  });
  for (let t = 0; t < TURNS; t++) {
    tracer.startTimestep(`turn_${t}`, { turnNumber: t });
    tracer.recordMessage({ role: 'user', content: OBSERVATION });
    tracer.recordMessage({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: `call_${t}`,
          type: 'function',
          function: { name: 'interact_many', arguments: '{"actions":["move_left","do"]}' },
        },
      ],
    });
    tracer.recordEvent({
      event_type: 'cais',
      system_instance_id: 'policy',
      model_name: 'gpt-4o-mini',
      provider: 'openai',
      input_tokens: 900,
      output_tokens: 30,
      total_tokens: 930,
      cost_usd: 0.00015,
      latency_ms: 420,
      call_records: [],
    });
    tracer.recordEvent({
      event_type: 'environment',
      system_instance_id: 'crafter',
      reward: t % 5 === 0 ? 1 : 0,
      terminated: false,
      truncated: false,
    });
  }
  tracer.recordOutcomeReward({ totalReward: 4, achievementsCount: 4, totalSteps: TURNS });
  return tracer.endSession();
}

/**
 * The bound: rows built beforehand (untimed), then inserted with the same prepared statements, 500
 * sessions per transaction. Built in chunks so the bound's own memory stays small.
 */
async function bound(
  file: string,
  sessions: number,
  prefix: string,
): Promise<{ seconds: number; messages: number }> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  const inserter = createSessionInserter(db);
  let seconds = 0;
  for (let i = 0; i < sessions; i += 500) {
    const rows = [];
    for (let k = i; k < Math.min(sessions, i + 500); k++)
      rows.push(buildSessionRows(await rollout(`${prefix}-${k}`, null)));
    const t0 = performance.now();
    db.exec('BEGIN IMMEDIATE');
    for (const r of rows) inserter.insert(r);
    db.exec('COMMIT');
    seconds += (performance.now() - t0) / 1000;
  }
  db.close();
  return { seconds, messages: sessions * 2 * TURNS };
}

async function ours(dir: string) {
  const store = await createSqliteTraceStore(path.join(dir, 'ours.db'));
  const rss: number[] = [];
  const sample = setInterval(() => rss.push(process.memoryUsage().rss), 200);
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < SESSIONS) {
        const i = next++;
        await rollout(`s-${i}`, store).catch(() => errors++);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sample);
  rss.push(process.memoryUsage().rss);
  const stats = store.writeStats();
  const stored = await store.countSessions();
  await store.close();
  return { seconds, messages: SESSIONS * 2 * TURNS, rss, stats, stored, errors };
}

const mb = (n: number) => Math.round(n / 2 ** 20);
const dir = mkdtempSync(path.join(os.tmpdir(), 'trace-ingest-'));
try {
  const boundFile = path.join(dir, 'bound.db');
  await (await createSqliteTraceStore(boundFile)).close(); // same schema as ours
  // Half the bound before our run and half after, so load drift on a shared machine evens out.
  const b1 = await bound(boundFile, Math.ceil(BOUND_SESSIONS / 2), 'b1');
  const o = await ours(dir);
  const b2 = await bound(boundFile, Math.floor(BOUND_SESSIONS / 2), 'b2');
  const b = { seconds: b1.seconds + b2.seconds, messages: b1.messages + b2.messages };
  const boundRate = b.messages / b.seconds;
  const ourRate = o.messages / o.seconds;
  const q = Math.max(1, Math.floor(o.rss.length / 4));
  const early = Math.max(...o.rss.slice(0, q));
  const late = Math.max(...o.rss.slice(-q));
  const result = {
    sessions: SESSIONS,
    writers: WRITERS,
    messages_per_session: 2 * TURNS,
    events_per_session: 2 * TURNS,
    ours_messages_per_s: Math.round(ourRate),
    ours_sessions_per_s: Math.round(SESSIONS / o.seconds),
    bound_messages_per_s: Math.round(boundRate),
    ratio: Number((ourRate / boundRate).toFixed(3)),
    target_ratio: 0.6,
    stored_sessions: o.stored,
    write_errors: o.errors,
    transactions: o.stats.batches,
    sessions_per_transaction: Number((o.stats.jobs / Math.max(1, o.stats.batches)).toFixed(1)),
    rss_mb_first_quarter_max: mb(early),
    rss_mb_last_quarter_max: mb(late),
    rss_mb_max: mb(Math.max(...o.rss)),
    rss_samples: o.rss.length,
  };
  console.log(
    `ours:  ${result.ours_messages_per_s} messages/s (${result.ours_sessions_per_s} sessions/s, ${WRITERS} writers, ${result.transactions} transactions, ${result.sessions_per_transaction} sessions each)`,
  );
  console.log(
    `bound: ${result.bound_messages_per_s} messages/s (same rows prebuilt, prepared statements, 500 sessions per transaction, ${BOUND_SESSIONS} sessions)`,
  );
  console.log(`ratio: ${result.ratio} (target ≥ ${result.target_ratio})`);
  console.log(
    `rss:   first quarter max ${result.rss_mb_first_quarter_max} MB, last quarter max ${result.rss_mb_last_quarter_max} MB, overall max ${result.rss_mb_max} MB (${result.rss_samples} samples)`,
  );
  console.log(`stored ${o.stored}/${SESSIONS} sessions, ${o.errors} write errors`);
  if (JSON_OUT) console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
