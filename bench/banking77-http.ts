/**
 * Banking77 rollouts per second over HTTP at concurrency 64 with a zero-latency policy (the built-in
 * `keyword` policy: no LLM, no I/O), next to two bounds measured in the same run:
 *   - in-process: the same rollouts through the rollout loop, no HTTP (the ceiling of the app logic);
 *   - bare HTTP: `GET /` on the same server at the same concurrency (the ceiling of the HTTP stack).
 * Usage: npx tsx bench/banking77-http.ts [--rollouts N] [--concurrency C] [--json]
 */
import pLimit from 'p-limit';
import { banking77App } from '../src/apps/banking77/app.ts';
import { createTaskAppClient } from '../src/task-app/client.ts';
import { createPolicyResolver } from '../src/task-app/policy-resolver.ts';
import { RolloutRequestSchema } from '../src/task-app/rollout-contract.ts';
import { runEnvironmentRollout } from '../src/task-app/run-environment-rollout.ts';
import { startTaskAppServer } from '../src/task-app/start-server.ts';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

const rollouts = flag('--rollouts', 4000);
const concurrency = flag('--concurrency', 64);
const json = process.argv.includes('--json');
const KEY = 'bench-key';

function request(i: number) {
  return {
    run_id: `bench-${i}`,
    env: { seed: i, config: { split: 'test' } },
    policy: { policy_name: 'keyword' },
  };
}

async function timed(count: number, task: (i: number) => Promise<unknown>): Promise<number> {
  const limit = pLimit(concurrency);
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => limit(() => task(i))));
  return count / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const resolvePolicy = createPolicyResolver();
  const signal = new AbortController().signal;
  const app = banking77App as Parameters<typeof runEnvironmentRollout>[0];
  const inProcess = async (i: number) =>
    runEnvironmentRollout(app, RolloutRequestSchema.parse(request(i)), {
      resolvePolicy,
      tracing: false,
      signal,
    });

  const server = await startTaskAppServer(banking77App, { port: 0, apiKeys: [KEY], tracing: false });
  const client = createTaskAppClient({ baseUrl: server.url, apiKey: KEY, retries: 0 });
  let correct = 0;
  try {
    // Warm up the JIT, the keyword model and the connection pool.
    await timed(Math.min(500, rollouts), inProcess);
    await timed(Math.min(500, rollouts), (i) => client.rollout(request(i)));

    const inProcessRate = await timed(rollouts, inProcess);
    const bareRate = await timed(rollouts, async () => {
      const response = await fetch(`${server.url}/`);
      await response.arrayBuffer();
    });
    const httpRate = await timed(rollouts, async (i) => {
      const body = await client.rollout(request(i));
      correct += body.metrics.mean_return;
    });
    const result = {
      rollouts,
      concurrency,
      http_rollouts_per_second: Math.round(httpRate),
      in_process_rollouts_per_second: Math.round(inProcessRate),
      bare_http_requests_per_second: Math.round(bareRate),
      ratio_vs_in_process: Number((httpRate / inProcessRate).toFixed(3)),
      ratio_vs_bare_http: Number((httpRate / bareRate).toFixed(3)),
      keyword_accuracy: Number((correct / rollouts).toFixed(3)),
    };
    if (!json) {
      console.log(`Banking77 over HTTP, ${rollouts} rollouts at concurrency ${concurrency}, keyword policy`);
      console.log(`  HTTP rollouts/s        ${result.http_rollouts_per_second}`);
      console.log(
        `  in-process rollouts/s  ${result.in_process_rollouts_per_second}  (ratio ${result.ratio_vs_in_process})`,
      );
      console.log(
        `  bare HTTP GET / req/s  ${result.bare_http_requests_per_second}  (ratio ${result.ratio_vs_bare_http})`,
      );
    }
    console.log(JSON.stringify(result));
  } finally {
    await server.close();
  }
}

await main();
