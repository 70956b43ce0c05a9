import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub does for one seed's rollout. */
export type StubBehaviour =
  | { kind: 'ok'; meanReturn: number; outcome?: number; tokens?: number; costUsd?: number }
  | { kind: 'fail'; status: number; message: string }
  /** Never answers; the client has to give up. */
  | { kind: 'hang' }
  /** Drops the connection and stops listening: the task app died. */
  | { kind: 'die' };

export interface StubTaskApp {
  url: string;
  apiKey: string;
  /** Rollout request bodies received, in order. */
  requests: Record<string, unknown>[];
  /** Rollouts whose client went away before an answer (cancelled). */
  aborted: number[];
  close(): Promise<void>;
}

/** Per-seed task metadata served by /task_info. */
export const STUB_TASKS = Array.from({ length: 10 }, (_, seed) => ({
  seed,
  difficulty: seed % 3 === 0 ? 'hard' : 'easy',
  split: seed < 7 ? 'train' : 'test',
}));

/**
 * A task app speaking the HTTP contract on 127.0.0.1 with plain node:http, so a test controls its sockets:
 * answering, failing, hanging or dying per seed. Rollout answers carry a full trace with one LM call event.
 */
export async function startStubTaskApp(behaviour: (seed: number) => StubBehaviour): Promise<StubTaskApp> {
  const apiKey = `stub-${randomUUID()}`;
  const requests: Record<string, unknown>[] = [];
  const aborted: number[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') return send(200, { status: 'ok', service: 'stub' });
    if (req.headers['x-api-key'] !== apiKey)
      return send(401, { error: { code: 'unauthorised', message: 'bad key' } });
    if (url.pathname === '/health') return send(200, { healthy: true });
    if (url.pathname === '/info')
      return send(200, {
        service: { task: { id: 'stub', name: 'Stub' }, version: '0.0.0' },
        dataset: { id: 'stub_dataset' },
        rubrics: null,
      });
    if (url.pathname === '/task_info') {
      const seeds = url.searchParams.getAll('seed').map(Number);
      if (seeds.length === 0) return send(200, { taskset: { tasks: STUB_TASKS } });
      const infos = seeds.map((s) => ({
        task: { id: 'stub', name: 'Stub' },
        task_metadata: STUB_TASKS[s] ?? { seed: s },
      }));
      return send(200, infos.length === 1 ? infos[0] : infos);
    }
    if (url.pathname !== '/rollout' || req.method !== 'POST')
      return send(404, { error: { message: 'no route' } });
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    requests.push(body);
    const seed = (body.env as { seed: number }).seed;
    const what = behaviour(seed);
    if (what.kind === 'fail') return send(what.status, { error: { code: 'boom', message: what.message } });
    if (what.kind === 'hang') {
      res.on('close', () => aborted.push(seed));
      return;
    }
    if (what.kind === 'die') {
      server.close();
      server.closeAllConnections();
      return;
    }
    const now = Date.now() / 1000;
    send(200, {
      run_id: body.run_id,
      trajectories: [
        {
          env_id: `stub::${seed}`,
          policy_id: 'p',
          steps: [{ obs: {}, tool_calls: [], reward: what.meanReturn, done: true }],
          length: 1,
        },
      ],
      metrics: {
        episode_returns: [what.meanReturn],
        mean_return: what.meanReturn,
        num_steps: 1,
        num_episodes: 1,
        outcome_score: what.outcome ?? null,
        events_score: null,
      },
      trace: {
        session_id: randomUUID(),
        created_at: new Date().toISOString(),
        session_time_steps: [],
        event_history: [
          {
            event_type: 'cais',
            system_instance_id: 'policy',
            time_record: { event_time: now },
            metadata: {},
            model_name: 'stub-model',
            provider: 'stub',
            input_tokens: 0,
            output_tokens: 0,
            total_tokens: what.tokens ?? 0,
            cost_usd: what.costUsd ?? 0,
            latency_ms: 1,
            call_records: [],
          },
        ],
        markov_blanket_message_history: [],
        metadata: { from_app: true },
        event_rewards: [],
        outcome: {
          total_reward: what.meanReturn,
          achievements_count: 0,
          total_steps: 1,
          reward_metadata: {},
        },
        judge_metadata: null,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    aborted,
    close() {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
