/**
 * Eval harness throughput: 1,000 Banking77 rollouts with the LLM policy against a local OpenAI-compatible
 * server that answers after 50 ms, one LLM judge call per rollout to the same server, concurrency 50,
 * traces stored in a SQLite file. The bound is (rollouts / concurrency) × (2 calls × 50 ms): what a
 * harness with zero overhead would take. Prints ours, the bound, the ratio (target ≤ 1.3×) and peak RSS
 * (target ≤ 250 MB), then the same calls from a bare HTTP client (the floor, see `bareClientFloor`).
 * `--json` prints one JSON object as the last line.
 *
 * Run: npm run build && node dist/bench/eval-harness.js [--rollouts 1000] [--concurrency 50] [--latency 50]
 *   [--inline-writes] [--skip-floor] [--mock-url URL] [--json]
 * (or npx tsx bench/eval-harness.ts, from the sources)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEval } from '../src/eval/run-eval.ts';
import { requestText } from '../src/inference/http-fetch.ts';
import type { MockRequest } from '../src/testing/mock-provider.ts';
import { startMockProvider } from '../src/testing/mock-provider.ts';
import { mockReply } from '../src/testing/mock-replies.ts';
import { openTraceStore } from '../src/tracing/open-store.ts';

const { values } = parseArgs({
  options: {
    rollouts: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    latency: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
    /** Writes on eval's own thread instead of the store's writer thread (for comparison). */
    'inline-writes': { type: 'boolean', default: false },
    /** Runs only the mock provider and prints its base URL (what `--mock-url` takes). */
    'serve-mock': { type: 'boolean', default: false },
    /** A mock already serving (`--serve-mock`), e.g. pinned to other cores with taskset; else one is spawned. */
    'mock-url': { type: 'string' },
    /** Skips the bare-client floor (see `bareClientFloor`). */
    'skip-floor': { type: 'boolean', default: false },
  },
});
const rollouts = Number(values.rollouts);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);
const writeThread = !values['inline-writes'];

type Schema = {
  properties?: Record<string, { items?: { properties?: { id?: { enum?: string[] } } }; enum?: string[] }>;
};

/** Policy calls force `banking77_classify`; judge calls ask for a JSON verdict over the rubric's criteria. */
function answer(request: MockRequest) {
  const body = request.body ?? {};
  const tools = (body.tools ?? []) as { function: { name: string; parameters?: Schema } }[];
  const classify = tools.find((t) => t.function.name === 'banking77_classify');
  if (classify) {
    const labels = classify.function.parameters?.properties?.intent?.enum ?? ['card_arrival'];
    return mockReply.toolCall('banking77_classify', { intent: labels[0] });
  }
  const format = body.response_format as { json_schema?: { schema?: Schema } } | undefined;
  const ids = format?.json_schema?.schema?.properties?.criteria?.items?.properties?.id?.enum ?? [];
  const verdict = {
    criteria: ids.map((id) => ({ id, score: 0.75, reason: 'the agent called the tool once' })),
    overall_score: 0.75,
    reasoning: 'A single valid classification.',
  };
  return mockReply.text(JSON.stringify(verdict), { prompt: 300, completion: 60 });
}

// The LLM server is another process, as a real provider is: its CPU is not the harness's.
if (values['serve-mock']) {
  const mock = await startMockProvider({ latencyMs, handler: answer, logRequests: false });
  process.stdout.write(`${mock.openaiBaseURL}\n`);
  process.on('SIGTERM', () => void mock.close().then(() => process.exit(0)));
} else {
  await main();
}

/** CPU seconds a process has used so far, from /proc (Linux); null elsewhere. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function startMockProcess(): Promise<{ url: string; stop(): void; cpuSeconds(): number | null }> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--serve-mock', '--latency', String(latencyMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`mock provider exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM'), cpuSeconds: () => processCpuSeconds(child.pid) };
}

/**
 * The same calls from a bare HTTP client (our sender's HTTP layer, `requestText`, with a tiny body and
 * nothing else), against the same mock, at the same concurrency: what this machine allows any harness at
 * that moment. On a shared machine the bound's ratio moves with the machine's speed; ours against this floor
 * moves less.
 */
async function bareClientFloor(url: string): Promise<number> {
  const body = JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] });
  const headers = { 'content-type': 'application/json' };
  const call = async () => {
    JSON.parse((await requestText(`${url}/chat/completions`, { method: 'POST', headers, body })).text);
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < rollouts) {
        next++;
        await call();
        await call();
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const mock = values['mock-url']
    ? { url: values['mock-url'], stop() {}, cpuSeconds: () => null }
    : await startMockProcess();
  const dir = mkdtempSync(join(tmpdir(), 'synth-eval-bench-'));
  // As `synth-ai eval` opens it (a writer thread), unless --inline-writes asks for comparison.
  const store = await openTraceStore(join(dir, 'traces.db'), { writeThread });
  const model = { model: 'mock-model', provider: 'openai-compatible', inference_url: mock.url };
  const load = loadavg()[0] ?? 0;
  const cpu0 = process.cpuUsage();
  const mockCpu0 = mock.cpuSeconds();
  const elu0 = performance.eventLoopUtilization();
  const started = performance.now();
  const run = await runEval({
    appId: 'banking77',
    seeds: Array.from({ length: rollouts }, (_, i) => i),
    policy: { policy: 'llm', model: model.model, policyConfig: { ...model } },
    concurrency,
    traceStore: store,
    judge: { enabled: true, name: 'llm', ...model },
  });
  // Closing is timed too: every trace committed, nothing left for later.
  await store?.close();
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mockCpu1 = mock.cpuSeconds();
  // Time eval's own thread was busy (rollouts, judges, HTTP): the part no other core can take.
  const mainBusyS = performance.eventLoopUtilization(elu0).active / 1000;
  // CPU seconds of this process (the mock is another one): the part of the wall time that is ours, and
  // the figure to compare across runs when other work shares the machine.
  const cpuS = (cpu.user + cpu.system) / 1e6;
  // The kernel's high-water mark of this process (getrusage): exact, and no sampler on the thread measured.
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const floorS = values['skip-floor'] ? null : await bareClientFloor(mock.url);
  mock.stop();
  rmSync(dir, { recursive: true, force: true });

  const judged = run.results.filter((r) => r.verdicts.llm?.status === 'ok').length;
  const boundS = (rollouts / concurrency) * ((2 * latencyMs) / 1000);
  const result = {
    rollouts,
    concurrency,
    latency_ms: latencyMs,
    ok: run.summary.ok,
    failed: run.summary.failed,
    judged_ok: judged,
    wall_s: Number(wallS.toFixed(3)),
    bound_s: boundS,
    ratio: Number((wallS / boundS).toFixed(3)),
    ratio_target: 1.3,
    cpu_s: Number(cpuS.toFixed(3)),
    cpu_ms_per_rollout: Number(((cpuS * 1000) / rollouts).toFixed(2)),
    main_thread_busy_s: Number(mainBusyS.toFixed(3)),
    // The mock shares the machine's cores: on a small machine its CPU is time taken from ours.
    mock_cpu_s: mockCpu0 === null || mockCpu1 === null ? null : Number((mockCpu1 - mockCpu0).toFixed(2)),
    load_avg_1m_at_start: Number(load.toFixed(2)),
    peak_rss_mb: Number((peakRss / 2 ** 20).toFixed(1)),
    peak_rss_target_mb: 250,
    bare_client_floor_s: floorS === null ? null : Number(floorS.toFixed(3)),
    ours_vs_floor: floorS === null ? null : Number((wallS / floorS).toFixed(3)),
  };
  const firstError = run.results.find((r) => r.error)?.error;
  console.log(
    `eval harness: ${rollouts} Banking77 rollouts (LLM policy + LLM judge, ${latencyMs} ms per call), concurrency ${concurrency}, ${writeThread ? 'writer thread' : 'inline writes'}`,
  );
  console.log(`  ok ${result.ok}, failed ${result.failed}, judged ok ${judged}`);
  if (firstError) console.log(`  first error: ${firstError}`);
  console.log(`  ours ${result.wall_s} s | bound ${boundS} s | ratio ${result.ratio}x (target <= 1.3x)`);
  console.log(
    `  harness CPU ${result.cpu_s} s (${result.cpu_ms_per_rollout} ms per rollout), main thread busy ${result.main_thread_busy_s} s, mock provider CPU ${result.mock_cpu_s ?? '?'} s; 1-min load average at start ${result.load_avg_1m_at_start} on ${availableParallelism()} cores`,
  );
  if (floorS !== null)
    console.log(
      `  bare HTTP client, same calls, same mock: ${result.bare_client_floor_s} s (${(floorS / boundS).toFixed(3)}x the bound); ours is ${result.ours_vs_floor}x that`,
    );
  console.log(`  peak RSS ${result.peak_rss_mb} MB (target <= 250 MB)`);
  if (values.json) console.log(JSON.stringify(result));
}
