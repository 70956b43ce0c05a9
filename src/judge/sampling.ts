import { sha256Hex } from './hash.ts';

/** Whether a session is in a `rate` sample: a hash of (seed, session id), so the same sessions stay in. */
export function inSample(sessionId: string, rate: number, seed = ''): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const h = Number.parseInt(sha256Hex(`${seed}:${sessionId}`).slice(0, 12), 16);
  return h / 0x1000000000000 < rate;
}
