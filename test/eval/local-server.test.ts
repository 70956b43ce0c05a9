/** The temporary task app: eval's direct path to its handler answers as its loopback port does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startLocalTaskApp } from '../../src/eval/local-server.ts';

const getJson = async (f: typeof fetch, url: string, key?: string) => {
  const res = await f(url, { headers: key ? { 'x-api-key': key } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('temporary task app', () => {
  it('answers the same through its handler as over its port, keys included; close() frees the port', async () => {
    const lines: string[] = [];
    const local = await startLocalTaskApp('banking77', { onLog: (line) => lines.push(line) });
    try {
      assert.ok(lines.includes(`Starting temporary banking77 server on port ${local.port}...`));
      const direct = await getJson(local.fetch, `${local.url}/info`, local.apiKey);
      const overHttp = await getJson(fetch, `${local.url}/info`, local.apiKey);
      assert.equal(direct.status, 200);
      assert.deepEqual(direct.body, overHttp.body);
      assert.equal((await getJson(local.fetch, `${local.url}/info`)).status, 401);
      assert.equal((await getJson(local.fetch, `${local.url}/info`, 'wrong')).status, 401);
    } finally {
      await local.close();
    }
    await assert.rejects(fetch(`${local.url}/health`), /fetch failed/);
  });
});
