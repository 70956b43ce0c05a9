/**
 * A `fetch` for JSON APIs over `node:http`/`node:https` with keep-alive agents. Node's global fetch (undici)
 * spends several times more CPU per request on web streams, request cloning and its fetch controller than
 * the bytes need; at 50 calls in flight that CPU, not the provider, bounded a run. Only what JSON calls use
 * is handled here (a string or byte body, headers, an abort signal); anything else (stream or form bodies,
 * redirects) is handed to the global fetch, so callers see standard fetch behaviour either way.
 * @module
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

// Idle sockets close before a typical server's 5 s keep-alive timeout, so a reused socket is rarely stale.
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000, scheduling: 'lifo' as const };
const httpAgent = new HttpAgent(AGENT_OPTIONS);
const httpsAgent = new HttpsAgent(AGENT_OPTIONS);

const NULL_BODY = new Set([101, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers || Array.isArray(headers)) {
    for (const [name, value] of headers as Iterable<[string, string]>) out[name.toLowerCase()] = value;
    return out;
  }
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = String(value);
  return out;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

function toResponse(res: IncomingMessage, body: Buffer): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const status = res.statusCode ?? 0;
  const content = NULL_BODY.has(status) ? null : decode(body, res.headers['content-encoding']);
  return new Response(content, { status, statusText: res.statusMessage ?? '', headers });
}

/**
 * The fetch. Connection failures reject with `TypeError('fetch failed', {cause})` and aborts with the
 * signal's reason, as the global fetch does, so SDKs classify them the same way.
 * @example new OpenAI({ apiKey, fetch: httpFetch });
 */
export const httpFetch: typeof fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
  const body = init?.body;
  const simpleBody =
    body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  if (url === null || !simpleBody || !/^https?:/i.test(url)) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const headers = plainHeaders(init?.headers);
  if (body !== undefined && body !== null) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, response?: Response) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (response) resolve(response);
      else reject(error);
    };
    const req = (secure ? httpsRequest : httpRequest)(target, {
      method: init?.method ?? 'GET',
      headers,
      agent: secure ? httpsAgent : httpAgent,
    });
    const onAbort = () => {
      req.destroy();
      finish(abortError(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (cause) => finish(new TypeError('fetch failed', { cause })));
    req.on('response', (res) => {
      if (REDIRECT.has(res.statusCode ?? 0) && res.headers.location) {
        // Following redirects (and what they do to a POST) is the global fetch's business.
        res.resume();
        signal?.removeEventListener('abort', onAbort);
        settled = true;
        fetch(input, init).then(resolve, reject);
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (cause) => finish(new TypeError('fetch failed', { cause })));
      res.on('close', () => {
        if (!res.complete)
          finish(new TypeError('fetch failed', { cause: new Error('response body cut off') }));
      });
      res.on('end', () => {
        try {
          finish(null, toResponse(res, Buffer.concat(chunks)));
        } catch (cause) {
          finish(new TypeError('fetch failed', { cause }));
        }
      });
    });
    req.end(body ?? undefined);
  });
};
