/**
 * Judge throughput, cache reuse and fault handling against a local OpenAI-compatible server. Throughput is
 * printed twice: the first 320 judgments of a cold process (module loading, connection set-up and JIT
 * included), and 10× as many in the warm process (the steady rate, compared with the target).
 * The throughput and cache runs talk to a server in another process, as a real provider is (its CPU is not
 * the judge's); the fault run scripts an in-process server reply by reply.
 * `npx tsx bench/judge.ts [--json] [--n 320]`
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { gradeDb } from '../src/judge/grade-db.ts';
import { parseJudgeSection } from '../src/judge/judge-config.ts';
import { type MockReply, type MockRequest, startMockProvider } from '../src/testing/index.ts';
import { verdictReply } from '../test/judge/support/judge-mock.ts';
import { storeWith } from '../test/judge/support/store.ts';
import { crafterTrace } from '../test/judge/support/traces.ts';

const json = process.argv.includes('--json');
const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 320;
const CONCURRENCY = 32;
const LATENCY_MS = 100;
const sArg = process.argv.indexOf('--steps');
// Episode lengths cycle over 4..4+STEPS-1 steps.
const STEPS = sArg > 0 ? Number(process.argv[sArg + 1]) : 12;

/** Every episode differs (its start tile depends on i), so no judgment is served by the cache in a first run. */
function distinctEpisode(id: string, i: number) {
  const steps = Array.from({ length: 4 + (i % STEPS) }, (_, k) => ({
    action: k % 2 ? 'do' : 'move_left',
    pos: [i, k] as [number, number],
    reward: k === 2 ? 1 : 0,
    achievements: k >= 2 ? ['collect_wood'] : [],
  }));
  return crafterTrace(id, steps);
}

async function makeDb(n: number, tag: string): Promise<string> {
  const { file, store } = await storeWith(
    Array.from({ length: n }, (_, i) => distinctEpisode(`${tag}-${i}`, i)),
  );
  await store.close();
  return file;
}

function sql(file: string, q: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare(q).get() as Record<string, unknown>;
    return String(Object.entries(row).find(([k]) => k !== '_metadata')?.[1]);
  } finally {
    db.close();
  }
}

// Deterministic PRNG so fault runs repeat.
let state = 42;
function rand(): number {
  state = (state * 1664525 + 1013904223) >>> 0;
  return state / 2 ** 32;
}

const faultCounts = { rate_limited: 0, server_error: 0, timeout: 0, malformed_json: 0, ok: 0 };
function faulty(req: MockRequest): MockReply {
  const r = rand();
  if (r < 0.075) {
    faultCounts.rate_limited += 1;
    return { type: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after-ms': '50' } };
  }
  if (r < 0.15) {
    faultCounts.server_error += 1;
    return { type: 'error', status: 500, message: 'boom' };
  }
  if (r < 0.225) {
    faultCounts.timeout += 1;
    return { ...verdictReply(req, 0.7), delayMs: 2000 };
  }
  if (r < 0.3) {
    faultCounts.malformed_json += 1;
    return { type: 'message', content: '{"criteria": [{"id": ' };
  }
  faultCounts.ok += 1;
  return verdictReply(req, 0.7);
}

/** The provider for the throughput and cache runs, in its own process; `requests()` asks it for its count. */
async function startRemoteMock(): Promise<{ url: string; requests(): Promise<number>; stop(): void }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--serve-mock'],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`mock provider exited with ${code}`)));
  });
  return {
    url,
    requests: () =>
      new Promise<number>((resolve) => {
        child.once('message', (n) => resolve(Number(n)));
        child.send('count');
      }),
    stop: () => child.kill('SIGTERM'),
  };
}

if (process.argv.includes('--serve-mock')) {
  const served = await startMockProvider({ latencyMs: LATENCY_MS, handler: (req) => verdictReply(req, 0.8) });
  process.on('message', () => process.send?.(served.requests.length));
  process.on('SIGTERM', () => void served.close().then(() => process.exit(0)));
  process.stdout.write(`${served.openaiBaseURL}\n`);
} else {
  await main();
}

/** A timed run's figures: how many, how long, against which bound (the share of it reached), how fast. */
function rateFigures(judgments: number, wallMs: number, boundMs: number, ok: number) {
  return {
    judgments,
    wall_ms: Math.round(wallMs),
    bound_ms: boundMs,
    ratio_of_bound: Number((boundMs / wallMs).toFixed(3)),
    judgments_per_s: Number(((judgments / wallMs) * 1000).toFixed(1)),
    ok,
  };
}

async function main(): Promise<void> {
  const remote = await startRemoteMock();
  const mock = await startMockProvider({ latencyMs: LATENCY_MS, handler: (req) => verdictReply(req, 0.8) });
  try {
    const settings = parseJudgeSection({ provider: remote.url, model: 'gpt-4o-mini' });
    const file = await makeDb(N, 'b');
    const load = loadavg()[0] ?? 0;
    const timed = async (db: string) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const summary = await gradeDb({ db, settings, rubric: 'crafter/bundle@v1', concurrency: CONCURRENCY });
      const cpu = process.cpuUsage(cpu0);
      return { summary, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
    };
    const run1 = await timed(file);
    const { summary: first, wallMs: wall1 } = run1;
    const calls1 = await remote.requests();
    const boundMs = Math.ceil(N / CONCURRENCY) * LATENCY_MS;
    const { summary: second, wallMs: wall2 } = await timed(file);
    const calls2 = (await remote.requests()) - calls1;

    // Steady state: ten times as many fresh judgments in the now warm process (modules loaded, code
    // compiled, connections open), so start-up no longer dominates a 1-second run.
    const steadyN = N * 10;
    const { summary: steady, wallMs: wallS, cpuMs: cpuSMs } = await timed(await makeDb(steadyN, 's'));
    const steadyBoundMs = Math.ceil(steadyN / CONCURRENCY) * LATENCY_MS;

    mock.reset();
    mock.setHandler(faulty);
    const fN = Math.max(64, Math.floor(N / 2));
    const ffile = await makeDb(fN, 'f');
    const faultSettings = parseJudgeSection({
      provider: mock.openaiBaseURL,
      model: 'gpt-4o-mini',
      timeout_s: 0.5,
    });
    const t2 = performance.now();
    const faults = await gradeDb({
      db: ffile,
      settings: faultSettings,
      rubric: 'crafter/bundle@v1',
      concurrency: CONCURRENCY,
      tuning: { transportRetries: 2, transportBaseDelayMs: 50, maxRetries: 2, baseDelayMs: 20 },
    });
    const wall3 = performance.now() - t2;
    const storedOk = Number(
      sql(
        ffile,
        "SELECT COUNT(*) FROM session_traces WHERE json_extract(judge_metadata,'$.primary') IS NOT NULL",
      ),
    );
    const storedErr = Number(
      sql(
        ffile,
        "SELECT COUNT(*) FROM session_traces WHERE json_extract(judge_metadata,'$.errors.llm.status') = 'error' AND json_extract(judge_metadata,'$.primary') IS NULL",
      ),
    );
    const unjudged = Number(sql(ffile, 'SELECT COUNT(*) FROM session_traces WHERE judge_metadata IS NULL'));
    const reasons: Record<string, number> = {};
    for (const r of faults.results.filter((x) => x.status === 'error')) {
      const key = (r.reason ?? '').replace(/:.*/s, '').slice(0, 40);
      reasons[key] = (reasons[key] ?? 0) + 1;
    }
    const result = {
      throughput: {
        ...rateFigures(N, wall1, boundMs, first.ok),
        concurrency: CONCURRENCY,
        latency_ms: LATENCY_MS,
        provider_calls: calls1,
        // CPU of this process only (the provider is another one): comparable across runs on a shared machine.
        cpu_ms: Math.round(run1.cpuMs),
        load_avg_1m_at_start: Number(load.toFixed(2)),
        cores: availableParallelism(),
      },
      steady: {
        ...rateFigures(steadyN, wallS, steadyBoundMs, steady.ok),
        cpu_ms_per_judgment: Number((cpuSMs / steadyN).toFixed(2)),
      },
      second_run: {
        cache_hits: second.cacheHits,
        hit_rate: second.cacheHits / N,
        provider_calls: calls2,
        wall_ms: Math.round(wall2),
      },
      faults: {
        judgments: fN,
        injected: { ...faultCounts },
        provider_requests: mock.requests.length,
        ok: faults.ok,
        error: faults.error,
        abstain: faults.abstain,
        lost: fN - faults.ok - faults.error - faults.abstain,
        stored_ok: storedOk,
        stored_error_without_score: storedErr,
        unjudged_rows: unjudged,
        error_reasons: reasons,
        wall_ms: Math.round(wall3),
      },
    };
    if (!json) {
      const t = result.throughput;
      console.log(
        `throughput, first run (cold process): ${N} judgments at concurrency ${CONCURRENCY}, ${LATENCY_MS} ms server: ${t.wall_ms} ms vs bound ${t.bound_ms} ms → ${(t.ratio_of_bound * 100).toFixed(1)}% of the concurrency bound (${t.judgments_per_s}/s)`,
      );
      console.log(
        `  judge process CPU ${t.cpu_ms} ms; 1-min load average at start ${t.load_avg_1m_at_start} on ${t.cores} cores`,
      );
      const st = result.steady;
      console.log(
        `throughput, steady (warm process): ${st.judgments} judgments: ${st.wall_ms} ms vs bound ${st.bound_ms} ms → ${(st.ratio_of_bound * 100).toFixed(1)}% of the bound (target >= 90%), ${st.judgments_per_s}/s, ${st.cpu_ms_per_judgment} ms CPU per judgment, ok ${st.ok}`,
      );
      console.log(
        `second run: ${second.cacheHits}/${N} cache hits (${(result.second_run.hit_rate * 100).toFixed(1)}%), ${calls2} provider calls, ${result.second_run.wall_ms} ms`,
      );
      const f = result.faults;
      console.log(
        `faults (30% injected: ${JSON.stringify(f.injected)}): ${fN} judgments → ok ${f.ok}, error ${f.error}, abstain ${f.abstain}, lost ${f.lost}`,
      );
      console.log(
        `  stored: ${f.stored_ok} with a score, ${f.stored_error_without_score} errors without a score, ${f.unjudged_rows} untouched; reasons ${JSON.stringify(f.error_reasons)}`,
      );
    }
    if (json) console.log(JSON.stringify(result));
  } finally {
    remote.stop();
    await mock.close();
  }
}
