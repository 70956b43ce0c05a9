/**
 * Where each key of a TOML document is written. smol-toml returns values without positions, so errors
 * would otherwise name a key but not the line to fix; this scanner walks the (already valid) source once and
 * records the line of every table header, key (dotted keys and inline tables included) and array element.
 * @module
 */

/** A path into a parsed config: table and key names, and array indexes. */
export type KeyPath = readonly (string | number)[];

/** Answers "on which line is this key?" for one TOML source. */
export interface KeyLineIndex {
  /** The 1-based line of `path`, or of its nearest written ancestor; undefined when none is written. */
  lineOf(path: KeyPath): number | undefined;
}

const keyOf = (path: KeyPath): string => path.map(String).join('\u0000');
const BARE = /[A-Za-z0-9_-]/;

/** Scans `source` (valid TOML) and indexes the line of every key. */
export function indexKeyLines(source: string): KeyLineIndex {
  const lines = new Map<string, number>();
  const arrayTables = new Map<string, number>();
  let i = 0;
  let line = 1;

  const record = (path: KeyPath, at: number) => {
    for (let n = 1; n <= path.length; n++) {
      const key = keyOf(path.slice(0, n));
      if (!lines.has(key)) lines.set(key, at);
    }
  };
  const advance = (n = 1) => {
    for (let k = 0; k < n && i < source.length; k++, i++) if (source[i] === '\n') line++;
  };
  const skipBlank = () => {
    while (source[i] === ' ' || source[i] === '\t' || source[i] === '\r') i++;
  };
  // Inside arrays, newlines and comments are whitespace too.
  const skipBlankLines = () => {
    for (;;) {
      skipBlank();
      if (source[i] === '\n') advance();
      else if (source[i] === '#') skipComment();
      else return;
    }
  };
  const skipComment = () => {
    while (i < source.length && source[i] !== '\n') i++;
  };
  const readString = (): string => {
    const quote = source[i]!;
    const triple = source.startsWith(quote.repeat(3), i);
    const delimiter = triple ? quote.repeat(3) : quote;
    advance(delimiter.length);
    const start = i;
    while (i < source.length && !source.startsWith(delimiter, i)) {
      if (quote === '"' && source[i] === '\\') advance();
      advance();
    }
    const raw = source.slice(start, i);
    advance(delimiter.length);
    // A triple-quoted string may end with up to two extra quotes that belong to the content.
    while (triple && source[i] === quote) advance();
    if (quote === "'") return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  const readKey = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      skipBlank();
      if (source[i] === '"' || source[i] === "'") parts.push(readString());
      else {
        const start = i;
        while (i < source.length && BARE.test(source[i]!)) i++;
        parts.push(source.slice(start, i));
      }
      skipBlank();
      if (source[i] !== '.') return parts;
      i++;
    }
  };
  const skipValue = (path: KeyPath) => {
    skipBlank();
    const c = source[i];
    if (c === '"' || c === "'") {
      readString();
    } else if (c === '[') {
      advance();
      for (let index = 0; ; index++) {
        skipBlankLines();
        if (source[i] === ']' || i >= source.length) break;
        record([...path, index], line);
        skipValue([...path, index]);
        skipBlankLines();
        if (source[i] === ',') advance();
      }
      advance();
    } else if (c === '{') {
      advance();
      for (;;) {
        skipBlank();
        if (source[i] === '}' || i >= source.length || source[i] === '\n') break;
        const at = line;
        const key = readKey();
        record([...path, ...key], at);
        skipBlank();
        if (source[i] === '=') advance();
        skipValue([...path, ...key]);
        skipBlank();
        if (source[i] === ',') advance();
      }
      advance();
    } else {
      while (i < source.length && !',]}\n#'.includes(source[i]!)) i++;
    }
  };
  const resolveHeader = (parts: string[], isArray: boolean): (string | number)[] => {
    const out: (string | number)[] = [];
    parts.forEach((part, n) => {
      out.push(part);
      const key = keyOf(out);
      if (isArray && n === parts.length - 1) {
        const index = (arrayTables.get(key) ?? -1) + 1;
        arrayTables.set(key, index);
        out.push(index);
      } else if (arrayTables.has(key)) {
        out.push(arrayTables.get(key)!);
      }
    });
    return out;
  };

  let table: (string | number)[] = [];
  while (i < source.length) {
    skipBlankLines();
    if (i >= source.length) break;
    const at = line;
    if (source[i] === '[') {
      const isArray = source[i + 1] === '[';
      i += isArray ? 2 : 1;
      table = resolveHeader(readKey(), isArray);
      record(table, at);
      while (i < source.length && source[i] !== '\n') i++;
    } else {
      const key = readKey();
      record([...table, ...key], at);
      skipBlank();
      if (source[i] === '=') advance();
      skipValue([...table, ...key]);
      while (i < source.length && source[i] !== '\n') i++;
    }
  }

  return {
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        const found = lines.get(keyOf(path.slice(0, n)));
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}
