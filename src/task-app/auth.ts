/**
 * Task app API keys: which keys are allowed, where a request carries one, and a constant-time check.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'hono';
import { errorBody } from './http-error.ts';

/**
 * The allowed keys: `ENVIRONMENT_API_KEY` (falling back to `DEV_ENVIRONMENT_API_KEY`), plus the
 * comma-separated `ENVIRONMENT_API_KEY_ALIASES`. Empty when none is set.
 */
export function loadTaskAppApiKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  const primary = env.ENVIRONMENT_API_KEY?.trim() || env.DEV_ENVIRONMENT_API_KEY?.trim() || '';
  const aliases = (env.ENVIRONMENT_API_KEY_ALIASES ?? '').split(',').map((key) => key.trim());
  return [...new Set([primary, ...aliases].filter((key) => key.length > 0))];
}

/** Every key a request offers: `X-API-Key`, `X-API-Keys` (comma-separated) and `Authorization: Bearer`. */
export function offeredKeys(headers: Headers): string[] {
  const offered: string[] = [];
  for (const name of ['x-api-key', 'x-api-keys']) {
    for (const part of (headers.get(name) ?? '').split(',')) offered.push(part.trim());
  }
  const match = /^bearer\s+(.+)$/i.exec(headers.get('authorization')?.trim() ?? '');
  if (match?.[1]) for (const part of match[1].split(',')) offered.push(part.trim());
  return offered.filter((key) => key.length > 0);
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether any offered key equals any allowed key. Keys are hashed first so `timingSafeEqual` compares
 * equal-length buffers, and every pair is compared, so the time does not depend on where a match is.
 */
export function keyMatches(offered: readonly string[], allowed: readonly string[]): boolean {
  const allowedDigests = allowed.map(digest);
  let matched = false;
  for (const key of offered) {
    const candidate = digest(key);
    for (const expected of allowedDigests) {
      if (timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched;
}

/**
 * Hono middleware: 503 when no key is configured, 401 when the request offers none or a wrong one.
 * Paths in `open` (exact match) pass without a key.
 */
export function createApiKeyMiddleware(
  apiKeys: readonly string[],
  options: { open?: readonly string[] } = {},
) {
  const open = new Set(options.open ?? []);
  return async function requireApiKey(c: Context, next: Next): Promise<Response | undefined> {
    if (open.has(c.req.path)) {
      await next();
      return undefined;
    }
    if (apiKeys.length === 0) {
      return c.json(
        errorBody(
          'missing_environment_api_key',
          'this task app has no API key configured',
          'set ENVIRONMENT_API_KEY on the server',
        ),
        503,
      );
    }
    const offered = offeredKeys(c.req.raw.headers);
    if (offered.length === 0) {
      return c.json(
        errorBody('unauthorised', 'missing API key', 'send it as X-API-Key or Authorization: Bearer'),
        401,
      );
    }
    if (!keyMatches(offered, apiKeys)) {
      return c.json(
        errorBody('unauthorised', 'invalid API key', 'check ENVIRONMENT_API_KEY on both sides'),
        401,
      );
    }
    await next();
    return undefined;
  };
}
