/**
 * Finds the table schema at a key path, so that an unknown key can be compared with the keys that table
 * accepts. Reads zod's schema definitions (`_zod.def`), which zod documents for library authors.
 * @module
 */
import type { z } from 'zod';
import type { KeyPath } from './key-lines.ts';

interface Def {
  type: string;
  format?: string;
  innerType?: Node;
  in?: Node;
  shape?: Record<string, Node>;
  catchall?: Node;
  element?: Node;
  valueType?: Node;
  options?: Node[];
}
interface Node {
  _zod: { def: Def };
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    const def = current._zod.def;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

function child(node: Node, segment: string | number): Node | undefined {
  const def = unwrap(node)._zod.def;
  if (def.type === 'object') return def.shape?.[segment] ?? def.catchall;
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const found = child(option, segment);
      if (found) return found;
    }
  }
  return undefined;
}

/** The table schema reached by `path` from `root`, if `path` leads to a table. */
export function tableAt(root: z.ZodType, path: KeyPath): { keys: string[]; catchall: boolean } | undefined {
  let node: Node | undefined = root as unknown as Node;
  for (const segment of path) {
    node = node && child(node, segment);
    if (!node) return undefined;
  }
  let def = unwrap(node)._zod.def;
  if (def.type === 'union') {
    const table = def.options?.map((o) => unwrap(o)._zod.def).find((d) => d.type === 'object');
    if (table) def = table;
  }
  if (def.type !== 'object') return undefined;
  const catchall = def.catchall !== undefined && unwrap(def.catchall)._zod.def.type === 'object';
  return { keys: Object.keys(def.shape ?? {}), catchall };
}

/** Every table path under `root` (to `depth` levels) that accepts `key`, for "it belongs in [x]" hints. */
export function tablesWithKey(root: z.ZodType, key: string, depth = 3): string[][] {
  const found: string[][] = [];
  const visit = (node: Node, path: string[]) => {
    const def = unwrap(node)._zod.def;
    if (def.type !== 'object' || path.length > depth) return;
    for (const [name, sub] of Object.entries(def.shape ?? {})) {
      if (name === key && path.length > 0) found.push(path);
      visit(sub, [...path, name]);
    }
  };
  visit(root as unknown as Node, []);
  return found;
}

/** True when the schema at `path` wants an integer, so messages say "an integer" even for a string. */
export function wantsInteger(root: z.ZodType, path: KeyPath): boolean {
  let node: Node | undefined = root as unknown as Node;
  for (const segment of path) {
    node = node && child(node, segment);
    if (!node) return false;
  }
  const def = unwrap(node)._zod.def;
  return def.type === 'number' && /int/.test(def.format ?? '');
}
