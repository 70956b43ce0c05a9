import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { RequestTimeoutError, requestText } from '../../src/inference/http-fetch.ts';
import { httpFetch } from '../../src/inference/index.ts';

let server: Server;
let base = '';
const ports: number[] = [];

before(async () => {
  server = createServer((req, res) => {
    ports.push(req.socket.remotePort ?? 0);
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const url = req.url ?? '/';
      if (url.startsWith('/echo')) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r1' });
        const echo = { method: req.method, body, auth: req.headers.authorization };
        res.end(JSON.stringify(url === '/echo' ? echo : { ...echo, url }));
      } else if (url === '/limited') {
        res.writeHead(429, { 'retry-after-ms': '50', 'content-type': 'application/json' });
        res.end('{"error":{"message":"slow down"}}');
      } else if (url === '/slow') {
        setTimeout(() => res.end('late'), 2_000).unref();
      } else if (url === '/cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.destroy(), 20);
      } else if (url === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
        res.end(gzipSync('{"zipped":true}'));
      } else if (url === '/moved') {
        res.writeHead(307, { location: '/echo' });
        res.end();
      } else {
        res.writeHead(204);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('httpFetch', () => {
  it('posts a JSON body and answers a standard Response, reusing the connection', async () => {
    const send = () =>
      httpFetch(`${base}/echo`, {
        method: 'POST',
        headers: new Headers({ authorization: 'Bearer t0k', 'content-type': 'application/json' }),
        body: '{"a":1}',
      });
    const first = await send();
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-request-id'), 'r1');
    assert.deepEqual(await first.json(), { method: 'POST', body: '{"a":1}', auth: 'Bearer t0k' });
    // undici waits one event-loop turn before reusing a socket, so back-to-back calls may alternate
    // between two kept-alive sockets; without keep-alive every call would open a new one.
    for (let i = 0; i < 5; i++) await (await send()).text();
    const used = ports.slice(-6);
    assert.ok(new Set(used).size <= 2, `6 sequential requests used sockets ${used.join(', ')}`);
  });

  it('hands error statuses back as responses, headers and body intact', async () => {
    const res = await httpFetch(`${base}/limited`, { method: 'POST', body: '{}' });
    assert.equal(res.ok, false);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after-ms'), '50');
    assert.deepEqual(await res.json(), { error: { message: 'slow down' } });
  });

  it('rejects with the abort reason when the signal fires, as fetch does', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(httpFetch(`${base}/slow`, { signal: controller.signal }), { name: 'AbortError' });
    await assert.rejects(httpFetch(`${base}/echo`, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('rejects with TypeError "fetch failed" on a refused connection and on a cut-off body', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(httpFetch(`http://127.0.0.1:${port}/x`), (e: unknown) => {
      assert.ok(e instanceof TypeError && e.message === 'fetch failed');
      assert.equal((e.cause as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
    await assert.rejects(httpFetch(`${base}/cut`), { name: 'TypeError', message: 'fetch failed' });
  });

  it('decodes gzip, answers 204 with no body, and leaves redirects to the fetch of undici', async () => {
    assert.deepEqual(await (await httpFetch(`${base}/gzip`)).json(), { zipped: true });
    const empty = await httpFetch(`${base}/nothing`);
    assert.equal(empty.status, 204);
    assert.equal(await empty.text(), '');
    const moved = await httpFetch(`${base}/moved`, { method: 'POST', body: 'kept' });
    assert.equal(moved.status, 200);
    assert.deepEqual(await moved.json(), { method: 'POST', body: 'kept' });
  });
});

describe('requestText', () => {
  const post = (path: string, signal?: AbortSignal) =>
    requestText(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer t0k', 'content-type': 'application/json' },
      body: '{"a":1}',
      ...(signal ? { signal } : {}),
    });

  it('posts the body and answers status, lower-case headers and text, query string kept', async () => {
    const res = await post('/echo?x=1&y=2');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-request-id'], 'r1');
    assert.deepEqual(JSON.parse(res.text), {
      method: 'POST',
      body: '{"a":1}',
      auth: 'Bearer t0k',
      url: '/echo?x=1&y=2',
    });
    const limited = await post('/limited');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after-ms'], '50');
    assert.equal(limited.text, '{"error":{"message":"slow down"}}');
  });

  it('sends the path the URL parser makes of the URL: escaped, dot segments resolved, fragment dropped', async () => {
    const echoed = async (url: string) =>
      JSON.parse((await requestText(url, { method: 'POST', headers: {}, body: '' })).text).url;
    assert.equal(await echoed(`${base}/echo/a b`), '/echo/a%20b');
    assert.equal(await echoed(`${base}/x/../echo/v1?q=1#frag`), '/echo/v1?q=1');
    assert.equal(await echoed(`${base}/echo/é`), '/echo/%C3%A9');
  });

  it('decodes gzip and answers an empty text for 204', async () => {
    assert.equal((await post('/gzip')).text, '{"zipped":true}');
    const empty = await post('/nothing');
    assert.equal(empty.status, 204);
    assert.equal(empty.text, '');
  });

  it("rejects with the signal's reason, whether it fires in flight or before the call", async () => {
    const controller = new AbortController();
    const reason = new Error('stop now');
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    await assert.rejects(post('/slow', controller.signal), (e) => e === reason);
    assert.ok(performance.now() - started < 1_500, 'the slow answer was not awaited');
    await assert.rejects(post('/echo', AbortSignal.abort()), { name: 'AbortError' });
    // Aborted right after the call, before undici has started the request.
    const early = new AbortController();
    const pending = post('/slow', early.signal);
    early.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
    // The connection pool is still usable afterwards.
    assert.equal((await post('/echo')).status, 200);
  });

  it('rejects with RequestTimeoutError past timeoutMs, and a timely answer is not disturbed by its timer', async () => {
    const started = performance.now();
    const slow = requestText(`${base}/slow`, { method: 'POST', headers: {}, body: '', timeoutMs: 40 });
    await assert.rejects(slow, (e) => e instanceof RequestTimeoutError && e.timeoutMs === 40);
    assert.ok(performance.now() - started < 1_500, 'the slow answer was not awaited');
    // A caller's abort before the timer still wins, with its own reason.
    const controller = new AbortController();
    const reason = new Error('caller stop');
    const pending = requestText(`${base}/slow`, {
      method: 'POST',
      headers: {},
      signal: controller.signal,
      timeoutMs: 5_000,
    });
    controller.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
    const quick = await requestText(`${base}/echo`, {
      method: 'POST',
      headers: {},
      body: 'x',
      timeoutMs: 500,
    });
    assert.equal(JSON.parse(quick.text).body, 'x');
    // Past the timeout of the call that answered: nothing fires, and the pool still serves.
    await new Promise((r) => setTimeout(r, 600));
    assert.equal((await post('/echo')).status, 200);
  });

  it("rejects with the driver's error on a refused connection and on a cut-off body", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(requestText(`http://127.0.0.1:${port}`, { method: 'POST', headers: {} }), {
      code: 'ECONNREFUSED',
    });
    await assert.rejects(post('/cut'), /closed|terminated|socket/i);
  });
});
