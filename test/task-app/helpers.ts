import type { Policy } from '../../src/policies/types.ts';
import { defineTaskApp, type TaskApp } from '../../src/task-app/define.ts';
import type { Environment } from '../../src/task-app/environment.ts';
import type { TaskAppServerOptions } from '../../src/task-app/server.ts';
import { type RunningTaskAppServer, startTaskAppServer } from '../../src/task-app/start-server.ts';
import type { LLMCallRecord } from '../../src/tracing/types.ts';

export const KEY = 'test-key-0123456789';

/**
 * A tiny counting game: the target is seed % 5 + 1 presses of `press`; each press gives 1, `stop` ends
 * the episode. Small enough that every expected number in a test can be worked out by hand.
 */
export function createCounterEnvironment(seed: number): Environment {
  const target = (seed % 5) + 1;
  let presses = 0;
  let done = false;
  const observe = () => ({ text: `presses ${presses} of ${target}`, data: { presses, target } });
  return {
    tools: [
      {
        type: 'function',
        function: {
          name: 'act',
          parameters: { type: 'object', properties: { action: { type: 'string', enum: ['press', 'stop'] } } },
        },
      },
    ],
    instanceId: `counter::${seed}`,
    reset: () => observe(),
    step(call) {
      const action = (JSON.parse(call.function.arguments) as { action?: string }).action;
      if (action === 'press' && !done) presses += 1;
      if (action === 'stop' || presses >= target) done = true;
      return {
        observation: observe(),
        reward: action === 'press' ? 1 : 0,
        terminated: done,
        truncated: false,
        info: { action: action ?? null },
        toolResult: `pressed ${presses}`,
      };
    },
    summary: () => ({
      total_reward: presses,
      achievements_count: 0,
      total_steps: presses,
      metadata: { target },
    }),
  };
}

/** A policy that always presses; with `llm`, each decision also carries one fake LM call record. */
export function createPressPolicy(options: { llm?: boolean } = {}): Policy {
  return {
    name: 'press',
    async decide(context) {
      const call = {
        id: `call_${context.turn}`,
        type: 'function' as const,
        function: { name: 'act', arguments: '{"action":"press"}' },
      };
      const now = new Date().toISOString();
      const record: LLMCallRecord = {
        call_id: `llm_${context.turn}`,
        api_type: 'chat_completions',
        provider: 'local',
        model_name: 'fake-model',
        started_at: now,
        completed_at: now,
        latency_ms: 3,
        request_params: {},
        input_messages: [{ role: 'user', content: context.observation.text }],
        output_messages: [{ role: 'assistant', content: null, tool_calls: [call] }],
        output_text: null,
        output_tool_calls: [
          { name: 'act', arguments_json: '{"action":"press"}', call_id: call.id, index: 0 },
        ],
        usage: {
          input_tokens: 10,
          output_tokens: 5,
          total_tokens: 15,
          prompt_tokens: 10,
          completion_tokens: 5,
        },
        finish_reason: 'tool_calls',
        error: null,
        metadata: {},
      };
      return {
        messages: [
          { role: 'system', content: 'press the button' },
          { role: 'user', content: context.observation.text },
          { role: 'assistant', content: null, tool_calls: [call] },
        ],
        toolCalls: [call],
        llmCalls: options.llm ? [record] : [],
      };
    },
  };
}

export const counterApp: TaskApp = defineTaskApp({
  id: 'counter',
  aliases: ['count'],
  name: 'Counter',
  description: 'press until the target',
  describeTaskset: () => ({ id: 'counter', seeds: 'any' }),
  taskInfo: (seed) => ({ task_metadata: { split: 'train', difficulty: seed % 2 === 0 ? 'easy' : 'hard' } }),
  rubrics: {
    outcome: {
      criteria: [{ id: 'reach', description: 'reach the target', weight: 1 }],
      scoring_guide: { '0-1': 'x' },
    },
  },
  policies: { press: () => createPressPolicy(), 'press-llm': () => createPressPolicy({ llm: true }) },
  defaultPolicy: 'press',
  llm: { systemPrompt: 'press', toolChoice: 'required' },
  defaultMaxSteps: 10,
  environment: ({ seed }) => createCounterEnvironment(seed),
});

/** Starts an app on a free loopback port with the test key. */
export function serve(
  app: TaskApp = counterApp,
  options: TaskAppServerOptions = {},
): Promise<RunningTaskAppServer> {
  return startTaskAppServer(app, { port: 0, apiKeys: [KEY], tracing: false, log: () => {}, ...options });
}

/** fetch with the test key in X-API-Key. */
export function authed(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    ...init,
    headers: { 'x-api-key': KEY, 'content-type': 'application/json', ...init.headers },
  });
}
