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

/** Every key shape above contains one of these: text without them needs no regex pass at all. */
const SHAPE_HINT = /sk-|gsk_|bearer/i;

/** Short values would mask ordinary words; real keys are long. */
function isMaskable(secret: string | undefined): secret is string {
  return secret !== undefined && secret.length >= 6;
}

/** Whether `text` holds one of the secrets or something shaped like an API key. */
function needsScrub(text: string, secrets: readonly (string | undefined)[]): boolean {
  for (const secret of secrets) if (isMaskable(secret) && text.includes(secret)) return true;
  return SHAPE_HINT.test(text);
}

/** The text with every given secret (and anything shaped like an API key) replaced by `[redacted]`. */
export function redactKeys(text: string, secrets: readonly (string | undefined)[] = []): string {
  // Most text (prompts, tool schemas) holds no key: one scan instead of a split and four replaces.
  if (!needsScrub(text, secrets)) return text;
  let out = text;
  for (const secret of secrets) {
    if (isMaskable(secret)) out = out.split(secret).join('[redacted]');
  }
  for (const shape of KEY_SHAPES) {
    out = out.replace(shape, (_match, bearer?: string) =>
      typeof bearer === 'string' ? `${bearer}[redacted]` : '[redacted]',
    );
  }
  return out;
}

/**
 * Whether any string value in a JSON-like value holds one of the secrets or something shaped like an API
 * key, i.e. whether `redactKeysDeep` would change a string in it. Allocates nothing.
 */
export function containsKeys(value: unknown, secrets: readonly (string | undefined)[] = []): boolean {
  if (typeof value === 'string') return needsScrub(value, secrets);
  if (Array.isArray(value)) {
    for (const item of value) if (containsKeys(item, secrets)) return true;
    return false;
  }
  if (value && typeof value === 'object') {
    for (const key in value) {
      if (Object.hasOwn(value, key) && containsKeys((value as Record<string, unknown>)[key], secrets))
        return true;
    }
  }
  return false;
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
