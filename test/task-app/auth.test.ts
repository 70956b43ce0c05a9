import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyMatches, loadTaskAppApiKeys, offeredKeys } from '../../src/task-app/auth.ts';
import { KEY, serve } from './helpers.ts';

const PROTECTED = ['/health', '/info', '/task_info', '/task_info?seed=1', '/nope'];

describe('task app auth', () => {
  it('with no key configured: / works, protected routes answer 503 with a JSON error', async () => {
    const server = await serve(undefined, { apiKeys: [] });
    try {
      assert.equal((await fetch(`${server.url}/`)).status, 200);
      for (const path of PROTECTED) {
        const response = await fetch(`${server.url}${path}`, { headers: { 'x-api-key': KEY } });
        assert.equal(response.status, 503, path);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'missing_environment_api_key');
        assert.match(body.error.message, /ENVIRONMENT_API_KEY/);
      }
      const rollout = await fetch(`${server.url}/rollout`, { method: 'POST', body: '{}' });
      assert.equal(rollout.status, 503);
    } finally {
      await server.close();
    }
  });

  it('missing or wrong key: 401 JSON everywhere, rollout included', async () => {
    const server = await serve();
    try {
      for (const path of PROTECTED) {
        const attempts: Array<Record<string, string>> = [
          {},
          { 'x-api-key': 'wrong' },
          { authorization: 'Bearer wrong' },
          { authorization: KEY },
        ];
        for (const headers of attempts) {
          const response = await fetch(`${server.url}${path}`, { headers });
          assert.equal(response.status, 401, `${path} ${JSON.stringify(headers)}`);
          const body = (await response.json()) as { error: { code: string } };
          assert.equal(body.error.code, 'unauthorised');
        }
      }
      const rollout = await fetch(`${server.url}/rollout`, { method: 'POST', body: 'not even json' });
      assert.equal(rollout.status, 401);
    } finally {
      await server.close();
    }
  });

  it('each header form passes: X-API-Key, X-API-Keys (CSV), Authorization: Bearer; aliases too', async () => {
    const server = await serve(undefined, { apiKeys: [KEY, 'alias-one', 'alias-two'] });
    try {
      const forms: Array<Record<string, string>> = [
        { 'x-api-key': KEY },
        { 'x-api-keys': `nope, ${KEY}` },
        { authorization: `Bearer ${KEY}` },
        { authorization: `bearer alias-two` },
        { 'x-api-key': 'alias-one' },
        { 'x-api-key': 'wrong', authorization: `Bearer ${KEY}` },
      ];
      for (const headers of forms) {
        const response = await fetch(`${server.url}/health`, { headers });
        assert.equal(response.status, 200, JSON.stringify(headers));
      }
    } finally {
      await server.close();
    }
  });

  it('reads keys from the environment: primary, DEV_ fallback, aliases', () => {
    assert.deepEqual(
      loadTaskAppApiKeys({ ENVIRONMENT_API_KEY: 'a', ENVIRONMENT_API_KEY_ALIASES: 'b, c,,a' }),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(loadTaskAppApiKeys({ DEV_ENVIRONMENT_API_KEY: 'dev' }), ['dev']);
    assert.deepEqual(loadTaskAppApiKeys({ ENVIRONMENT_API_KEY: ' ' }), []);
    assert.deepEqual(loadTaskAppApiKeys({ ENVIRONMENT_API_KEY_ALIASES: 'x' }), ['x']);
  });

  it('compares keys exactly, whatever their length', () => {
    assert.equal(keyMatches(['abc'], ['abc']), true);
    assert.equal(keyMatches(['abcd'], ['abc']), false);
    assert.equal(keyMatches(['ab'], ['abc']), false);
    assert.equal(keyMatches([], ['abc']), false);
    assert.deepEqual(offeredKeys(new Headers({ 'x-api-keys': 'a,b', authorization: 'Basic zzz' })), [
      'a',
      'b',
    ]);
  });
});
