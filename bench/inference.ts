/**
 * Inference layer figures, measured in one run against the local mock provider:
 * 1. overhead of `ChatModel.complete` over a bare `openai` SDK call to a zero-latency server
 *    (median of paired, interleaved calls; target < 1 ms);
 * 2. the share of a requests-per-minute limit that a run of `--seconds` actually uses, against a
 *    server enforcing that same limit over a sliding 60 s window (target ≥ 90%, zero 429s).
 *
 * Usage: npx tsx bench/inference.ts [--seconds 60] [--rpm 600] [--calls 2000] [--json]
 */
import { setMaxListeners } from 'node:events';
import OpenAI from 'openai';
import { createChatModel, createRateLimiter } from '../src/inference/index.ts';
import type { ChatRequest } from '../src/inference/types.ts';
import { CRAFTER_REACT_SYSTEM_PROMPT } from '../src/policies/prompts/crafter.ts';
import { mockReply, startMockProvider } from '../src/testing/index.ts';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} needs a positive number`);
    process.exit(2);
  }
  return value;
}
const json = process.argv.includes('--json');
const seconds = flag('seconds', 60);
const rpm = flag('rpm', 600);
const calls = Math.round(flag('calls', 2000));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// A Crafter-sized request: the real system prompt, a 2 KB observation, the forced tool.
const tool = {
  type: 'function' as const,
  function: {
    name: 'interact_many',
    parameters: {
      type: 'object',
      properties: { actions: { type: 'array', items: { type: 'string' } } },
      required: ['actions'],
    },
  },
};
const request: ChatRequest = {
  messages: [
    { role: 'system', content: CRAFTER_REACT_SYSTEM_PROMPT },
    { role: 'user', content: `=== CRAFTER === step 1/10000\n${'. . T . . . ~ ~ .\n'.repeat(100)}` },
  ],
  tools: [tool],
  toolChoice: { name: 'interact_many' },
  parallelToolCalls: false,
  temperature: 0.2,
  maxTokens: 512,
};
const reply = () =>
  mockReply.toolCall(
    'interact_many',
    { actions: ['move_left', 'do'] },
    { usage: { prompt: 900, completion: 20 } },
  );

async function overhead() {
  const mock = await startMockProvider({ handler: reply });
  const bare = new OpenAI({ baseURL: mock.openaiBaseURL, apiKey: 'sk-bench', maxRetries: 0 });
  const ours = createChatModel({
    provider: 'openai',
    model: 'gpt-4o-mini',
    baseURL: mock.openaiBaseURL,
    apiKey: 'sk-bench',
  });
  const body = {
    model: 'gpt-4o-mini',
    messages: request.messages as OpenAI.ChatCompletionMessageParam[],
    tools: [tool],
    tool_choice: { type: 'function' as const, function: { name: 'interact_many' } },
    parallel_tool_calls: false,
    temperature: 0.2,
    max_tokens: 512,
  };
  const bareCall = async () => {
    const t = performance.now();
    await bare.chat.completions.create(body);
    return performance.now() - t;
  };
  const ourCall = async () => {
    const t = performance.now();
    await ours.complete(request);
    return performance.now() - t;
  };
  for (let i = 0; i < 200; i++) {
    await bareCall();
    await ourCall();
  }
  const b: number[] = [];
  const o: number[] = [];
  const diff: number[] = [];
  for (let i = 0; i < calls; i++) {
    // Alternate which goes first so drift and warm caches favour neither side.
    let bt: number;
    let ot: number;
    if (i % 2) {
      bt = await bareCall();
      ot = await ourCall();
    } else {
      ot = await ourCall();
      bt = await bareCall();
    }
    b.push(bt);
    o.push(ot);
    diff.push(ot - bt);
  }
  await mock.close();
  return { bare_median_ms: median(b), ours_median_ms: median(o), overhead_median_ms: median(diff), calls };
}

async function rpmShare() {
  const mock = await startMockProvider({ handler: reply, requestsPerMinute: rpm });
  const model = createChatModel({
    provider: 'openai',
    model: 'gpt-4o-mini',
    baseURL: mock.openaiBaseURL,
    apiKey: 'sk-bench',
    maxRetries: 0,
    limiter: createRateLimiter({ requestsPerMinute: rpm, concurrency: 32 }),
  });
  const stop = new AbortController();
  // Every in-flight call listens on this one signal.
  setMaxListeners(0, stop.signal);
  const start = Date.now();
  const end = start + seconds * 1000;
  let failures = 0;
  const worker = async () => {
    while (Date.now() < end) {
      try {
        await model.complete({ ...request, signal: stop.signal });
      } catch {
        if (!stop.signal.aborted) failures++;
      }
    }
  };
  const timer = setTimeout(() => stop.abort(), seconds * 1000);
  await Promise.all(Array.from({ length: 32 }, worker));
  clearTimeout(timer);
  const inWindow = mock.requests.filter((r) => r.receivedAt < end && r.status === 200).length;
  const allowed = (rpm * seconds) / 60;
  const result = {
    rpm,
    seconds,
    requests: inWindow,
    allowed,
    share: inWindow / allowed,
    server_429s: mock.rateLimited,
    failures,
  };
  await mock.close();
  return result;
}

const o = await overhead();
if (!json) {
  console.log(`overhead over a bare openai SDK call (${o.calls} paired calls, zero-latency local server):`);
  console.log(
    `  bare median ${o.bare_median_ms.toFixed(3)} ms, ours median ${o.ours_median_ms.toFixed(3)} ms`,
  );
  console.log(`  median paired overhead ${o.overhead_median_ms.toFixed(3)} ms (target < 1 ms)`);
  console.log(`rpm share: ${seconds} s at ${rpm} rpm against a server enforcing ${rpm} rpm...`);
}
const r = await rpmShare();
if (!json) {
  console.log(
    `  ${r.requests} requests of ${r.allowed} allowed = ${(r.share * 100).toFixed(1)}% (target >= 90%), server 429s: ${r.server_429s}`,
  );
}
const summary = {
  overhead: { ...o, target_ms: 1, pass: o.overhead_median_ms < 1 },
  rpm: { ...r, target_share: 0.9, pass: r.share >= 0.9 && r.server_429s === 0 },
};
if (json) console.log(JSON.stringify(summary));
