/**
 * Turns zod issues into one line per problem: the key path, what is wrong, what to write instead, and the
 * file and line, for example `eval.concurrency: expected an integer, got "five" (configs/eval.toml:7)`.
 * @module
 */
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.ts';
import type { KeyLineIndex, KeyPath } from './key-lines.ts';
import { tableAt, tablesWithKey, wantsInteger } from './schema-walk.ts';

/** One problem in a config file. */
export interface ConfigProblem {
  readonly path: KeyPath;
  readonly line: number | undefined;
  readonly message: string;
}

/** Where the issues come from. */
export interface IssueContext {
  readonly root: z.ZodType;
  readonly lines: KeyLineIndex;
}

type Issue = z.core.$ZodIssue & { input?: unknown };

const EXPECTED: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a table',
  record: 'a table',
  date: 'a date',
};

/** `eval.judges[0].model`; keys that are not bare TOML keys are quoted. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = /^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out === '' ? '(top level)' : out;
}

/** A short description of a TOML value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value instanceof Date)
    return `the date ${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a table';
  return String(value);
}

function unknownKey(path: KeyPath, key: string, ctx: IssueContext): string {
  const here = tableAt(ctx.root, path);
  const suggestion = here && didYouMean(key, here.keys);
  const what = path.length === 0 ? 'unknown table or key' : 'unknown key';
  if (suggestion) return `${what}; did you mean "${suggestion}"?`;
  const elsewhere = tablesWithKey(ctx.root, key).filter((p) => p.join('.') !== path.join('.'));
  if (elsewhere.length > 0)
    return `${what}; it belongs in ${elsewhere.map((p) => `[${p.join('.')}]`).join(' or ')}`;
  if (here && here.keys.length <= 16) return `${what} (valid keys: ${here.keys.join(', ')})`;
  return what;
}

function expectedList(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const kinds = issue.errors
    .map((branch) => branch.find((i) => i.code === 'invalid_type' && i.path.length === 0))
    .map((i) => (i && i.code === 'invalid_type' ? (EXPECTED[i.expected] ?? i.expected) : undefined))
    .filter((k): k is string => k !== undefined);
  return [...new Set(kinds)].join(' or ');
}

function describeOne(issue: Issue, prefix: KeyPath, ctx: IssueContext, out: ConfigProblem[]): void {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  const push = (at: KeyPath, message: string) => out.push({ path: at, line: ctx.lines.lineOf(at), message });
  const got = `got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) push([...path, key], unknownKey(path, key, ctx));
      return;
    case 'invalid_type': {
      const parent = tableAt(ctx.root, path.slice(0, -1));
      const key = path[path.length - 1];
      if (
        issue.expected === 'object' &&
        parent?.catchall &&
        typeof key === 'string' &&
        !parent.keys.includes(key)
      ) {
        push(path, unknownKey(path.slice(0, -1), key, ctx));
        return;
      }
      const expected = issue.expected === 'number' && wantsInteger(ctx.root, path) ? 'int' : issue.expected;
      push(path, `expected ${EXPECTED[expected] ?? expected}, ${got}`);
      return;
    }
    case 'invalid_union': {
      // If one branch matched the value's type, its own problems are the useful ones.
      const matched = issue.errors.find(
        (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
      );
      if (matched) for (const inner of matched) describeOne(inner as Issue, path, ctx, out);
      else push(path, `expected ${expectedList(issue) || 'another type'}, ${got}`);
      return;
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      if (issue.origin === 'array' || issue.origin === 'string' || issue.origin === 'set') {
        push(
          path,
          Number(bound) <= 1 && small
            ? `must not be empty`
            : `${small ? 'needs at least' : 'allows at most'} ${bound} items`,
        );
      } else {
        const word = small
          ? issue.inclusive
            ? 'at least'
            : 'greater than'
          : issue.inclusive
            ? 'at most'
            : 'less than';
        push(path, `must be ${word} ${bound}, ${got}`);
      }
      return;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const hint =
        typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : undefined;
      push(path, `expected one of ${values}, ${got}${hint ? `; did you mean "${hint}"?` : ''}`);
      return;
    }
    case 'invalid_format':
      push(path, `${issue.message}, ${got}`);
      return;
    default:
      push(path, issue.message);
  }
}

/** One {@link ConfigProblem} per problem (an issue naming several unknown keys gives several), by line. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) describeOne(issue as Issue, [], ctx, out);
  return out.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}
