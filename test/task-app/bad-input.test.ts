import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../src/errors.ts';
import { defineTaskApp, type EnvironmentTaskAppDefinition } from '../../src/task-app/define.ts';
import { parseRolloutRequest } from '../../src/task-app/parse-request.ts';
import type { RunningTaskAppServer } from '../../src/task-app/start-server.ts';
import { authed, counterApp, createCounterEnvironment, serve } from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string };
}

async function expectError(
  response: Response,
  status: number,
  code: string,
  pattern?: RegExp,
): Promise<void> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  const body = (await response.json()) as ErrorBody;
  assert.equal(body.error.code, code);
  if (pattern) assert.match(body.error.message, pattern);
}

const post = (url: string, body: string) => authed(`${url}/rollout`, { method: 'POST', body });

describe('bad input gets a clear 4xx and the server keeps serving', () => {
  let server: RunningTaskAppServer;
  before(async () => {
    const picky = defineTaskApp({
      ...(counterApp as EnvironmentTaskAppDefinition),
      id: 'picky',
      taskInfo: (seed) => {
        if (seed > 100) throw new UsageError(`seed ${seed} is out of range`, { hint: 'use 0-100' });
        return { task_metadata: { split: 'train' } };
      },
      environment: ({ seed }) => {
        if (seed === 13) throw new Error('world generator exploded');
        return createCounterEnvironment(seed);
      },
    });
    server = await serve(picky, { bodyLimitBytes: 64 * 1024, llmPolicy: null });
  });
  after(() => server.close());

  it('malformed JSON → 400', async () => {
    await expectError(await post(server.url, '{"run_id": '), 400, 'invalid_json');
  });

  it('schema errors → 422 naming the field path', async () => {
    await expectError(await post(server.url, '[]'), 422, 'invalid_request', /\(body\)/);
    await expectError(await post(server.url, '{"env": {}, "policy": {}}'), 422, 'invalid_request', /run_id/);
    await expectError(
      await post(
        server.url,
        JSON.stringify({ run_id: 'x', env: {}, policy: {}, record: { trace_format: 'xml' } }),
      ),
      422,
      'invalid_request',
      /record\.trace_format/,
    );
    await expectError(
      await post(server.url, JSON.stringify({ run_id: 'x', env: { config: { max_turns: -2 } }, policy: {} })),
      422,
      'invalid_request',
      /env\.config\.max_turns/,
    );
  });

  it('bad seeds → 400/422', async () => {
    await expectError(await authed(`${server.url}/task_info?seed=abc`), 400, 'invalid_seed', /abc/);
    await expectError(await authed(`${server.url}/task_info?seed=-1`), 400, 'invalid_seed');
    await expectError(await authed(`${server.url}/task_info?seeds=1,,2`), 400, 'invalid_seed');
    await expectError(await authed(`${server.url}/task_info?seed=500`), 422, 'invalid_seed', /out of range/);
    await expectError(
      await post(server.url, JSON.stringify({ run_id: 'x', env: { seed: -3 }, policy: {} })),
      422,
      'invalid_request',
      /env\.seed/,
    );
    await expectError(
      await post(server.url, JSON.stringify({ run_id: 'x', env: { seed: 1.5 }, policy: {} })),
      422,
      'invalid_request',
      /env\.seed/,
    );
    await expectError(
      await post(server.url, JSON.stringify({ run_id: 'x', env: { config: { seed: 'soon' } }, policy: {} })),
      422,
      'invalid_seed',
      /env\.config\.seed/,
    );
  });

  it('unknown ops → 422 naming the index', async () => {
    await expectError(
      await post(
        server.url,
        JSON.stringify({ run_id: 'x', env: { seed: 1 }, policy: {}, ops: ['agent', 'dance'] }),
      ),
      422,
      'invalid_op',
      /ops\.1.*dance/,
    );
  });

  it('unknown policy → 422 listing the built-in policies; a model with no LLM policy → 503', async () => {
    await expectError(
      await post(
        server.url,
        JSON.stringify({ run_id: 'x', env: { seed: 1 }, policy: { policy_name: 'psychic' } }),
      ),
      422,
      'invalid_policy',
      /press, press-llm/,
    );
    await expectError(
      await post(
        server.url,
        JSON.stringify({ run_id: 'x', env: { seed: 1 }, policy: { config: { model: 'gpt-x' } } }),
      ),
      503,
      'llm_policy_unavailable',
    );
  });

  it('oversized body → 413', async () => {
    const big = JSON.stringify({ run_id: 'x', env: {}, policy: {}, pad: 'x'.repeat(100 * 1024) });
    await expectError(await post(server.url, big), 413, 'payload_too_large');
  });

  it('an app crash → 500 JSON, and the next request still works', async () => {
    await expectError(
      await post(server.url, JSON.stringify({ run_id: 'x', env: { seed: 13 }, policy: {} })),
      500,
      'internal_error',
      /exploded/,
    );
    await expectError(await authed(`${server.url}/nowhere`), 404, 'not_found');
    const ok = await post(server.url, JSON.stringify({ run_id: 'y', env: { seed: 1 }, policy: {} }));
    assert.equal(ok.status, 200);
  });

  it('defineTaskApp refuses a bad definition up front', () => {
    assert.throws(
      () =>
        defineTaskApp({ ...(counterApp as EnvironmentTaskAppDefinition), id: 'bad', defaultPolicy: 'nope' }),
      /defaultPolicy "nope" is not one of policies/,
    );
    assert.throws(
      () =>
        defineTaskApp({
          id: 'both',
          name: 'x',
          description: 'x',
          describeTaskset: () => ({}),
          taskInfo: () => ({}),
          environment: counterApp.environment!,
          rollout: (() => {
            throw new Error('x');
          }) as never,
        } as never),
      /exactly one of rollout\(\) or environment/,
    );
  });
});

describe('an app crash is logged once, over HTTP and in process alike', () => {
  it('POST /rollout and the in-process rollout log the same line', async () => {
    const lines: string[] = [];
    const crashy = defineTaskApp({
      ...(counterApp as EnvironmentTaskAppDefinition),
      id: 'crashy',
      environment: () => {
        throw new Error('world generator exploded');
      },
    });
    const server = await serve(crashy, { llmPolicy: null, log: (line) => lines.push(line) });
    try {
      const body = { run_id: 'x', env: { seed: 3 }, policy: {} };
      await expectError(await post(server.url, JSON.stringify(body)), 500, 'internal_error');
      assert.deepEqual(lines, ['[crashy] POST /rollout: rollout failed: world generator exploded']);
      await assert.rejects(
        server.rollout(parseRolloutRequest(JSON.stringify(body)), new AbortController().signal),
        {
          status: 500,
          message: 'rollout failed: world generator exploded',
        },
      );
      assert.deepEqual(lines, [
        '[crashy] POST /rollout: rollout failed: world generator exploded',
        '[crashy] POST /rollout: rollout failed: world generator exploded',
      ]);
      // A request the app refuses (4xx) is the caller's problem, not the app's: nothing logged.
      await assert.rejects(
        server.rollout(
          parseRolloutRequest(JSON.stringify({ ...body, policy: { policy_name: 'nope' } })),
          new AbortController().signal,
        ),
        { status: 422 },
      );
      assert.equal(lines.length, 2);
    } finally {
      await server.close();
    }
  });
});
