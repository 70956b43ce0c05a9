/**
 * Secret scrubbing: keys must never reach records, logs or error messages. Known key values are
 * replaced exactly; common key shapes (OpenAI, Groq, Anthropic, bearer tokens) are masked as a safety net.
 * @module
 */

const KEY_SHAPES: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{16,}/g,
  /\bgsk_[A-Za-z0-9]{16,}/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
];

/** The text with every given secret (and anything shaped like an API key) replaced by `[redacted]`. */
export function redactKeys(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would mask ordinary words; real keys are long.
    if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (_match, bearer?: string) =>
      typeof bearer === 'string' ? `${bearer}[redacted]` : '[redacted]',
    );
  }
  return out;
}

/** A deep copy of a JSON-like value with every string scrubbed. */
export function redactKeysDeep<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  if (typeof value === 'string') return redactKeys(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactKeysDeep(v, secrets)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactKeysDeep(v, secrets);
    return out as T;
  }
  return value;
}
