// @ts-check
/**
 * The I/O thread's checks of stored texts (see `io-worker.mjs`): whether a text may hold a secret, exactly as
 * `redactSecretLike` in `scrub.ts` decides, and the sha1 prefix `sha1Prefix` in `message-pieces.ts` takes.
 * @module
 */
import { hash } from 'node:crypto';

/**
 * A check built from `SECRET_PATTERN_SOURCES` of `scrub.ts`: true when `redactSecretLike` would change the
 * text (some match has a bearer or assignment group, or is a provider key matched whole with its exact
 * case). Without patterns, every text may.
 * @param {{ pattern: string; flags: string; exact: string } | undefined} sources
 * @returns {(text: string) => boolean}
 */
export function secretCheck(sources) {
  if (!sources) return () => true;
  const pattern = new RegExp(sources.pattern, sources.flags);
  const exact = new RegExp(sources.exact);
  return (text) => {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (m[1] !== undefined || m[2] !== undefined || exact.test(m[0])) return true;
    }
    return false;
  };
}

/**
 * Writes the first 8 bytes of `text`'s sha1 into `out[at]` and `out[at + 1]`, as `sha1Prefix` in
 * `message-pieces.ts` reads them (little-endian halves).
 * @param {string} text
 * @param {Int32Array} out
 * @param {number} at
 */
export function sha1PrefixInto(text, out, at) {
  const d = hash('sha1', text, 'binary');
  out[at] = d.charCodeAt(0) | (d.charCodeAt(1) << 8) | (d.charCodeAt(2) << 16) | (d.charCodeAt(3) << 24);
  out[at + 1] = d.charCodeAt(4) | (d.charCodeAt(5) << 8) | (d.charCodeAt(6) << 16) | (d.charCodeAt(7) << 24);
}
