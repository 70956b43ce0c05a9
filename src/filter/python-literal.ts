/**
 * A parser for the Python literals the original synth-ai wrote into traces (`repr()` of lists and dicts
 * of tool calls), so a repr string becomes real JSON instead of text a fine-tuned model would learn to mimic.
 * @module
 */
import type { JsonValue } from '../tracing/types.ts';

/** Thrown inside the parser; callers get `undefined` from {@link parsePythonLiteral}. */
class LiteralSyntaxError extends Error {}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new LiteralSyntaxError(`${what} at ${this.pos}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  value(): JsonValue {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.dict();
    if (ch === '[') return this.sequence('[', ']');
    if (ch === '(') return this.sequence('(', ')');
    if (ch === "'" || ch === '"') return this.string();
    if (ch === '-' || ch === '+' || (ch !== undefined && /[0-9.]/.test(ch))) return this.number();
    for (const [word, value] of [
      ['None', null],
      ['True', true],
      ['False', false],
      ['null', null],
      ['true', true],
      ['false', false],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail('unexpected token');
  }

  dict(): JsonValue {
    this.pos++;
    const out: { [key: string]: JsonValue } = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value();
      if (typeof key !== 'string' && typeof key !== 'number') this.fail('dict key must be a string');
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      out[String(key)] = this.value();
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') this.fail("expected ',' or '}'");
    }
  }

  sequence(open: string, close: string): JsonValue {
    this.pos++;
    const out: JsonValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`expected ',' or '${open === '[' ? ']' : ')'}'`);
    }
  }

  string(): string {
    const quote = this.text[this.pos]!;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === quote) {
        this.pos++;
        return out;
      }
      if (ch === '\\') {
        const next = this.text[this.pos + 1];
        if (next === undefined) break;
        if (next === 'x' || next === 'u' || next === 'U') {
          const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
          const hex = this.text.slice(this.pos + 2, this.pos + 2 + width);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) this.fail('bad escape');
          out += String.fromCodePoint(Number.parseInt(hex, 16));
          this.pos += 2 + width;
          continue;
        }
        out += ESCAPES[next] ?? `\\${next}`;
        this.pos += 2;
        continue;
      }
      out += ch;
      this.pos++;
    }
    return this.fail('unterminated string');
  }

  number(): number {
    const match = /^[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/.exec(
      this.text.slice(this.pos),
    );
    if (!match) this.fail('bad number');
    this.pos += match[0].length;
    return Number(match[0]);
  }
}

/**
 * Parses a Python literal (`repr()` of dicts, lists, tuples, strings, numbers, True/False/None).
 * Returns `undefined` when the text is not one whole literal.
 * @example parsePythonLiteral("[{'tool_name': 'do', 'arguments': {'n': 1}}]")
 */
export function parsePythonLiteral(text: string): JsonValue | undefined {
  const parser = new Parser(text);
  try {
    const value = parser.value();
    parser.skipSpace();
    return parser.pos === text.length ? value : undefined;
  } catch (error) {
    if (error instanceof LiteralSyntaxError) return undefined;
    throw error;
  }
}
