/**
 * `JSON.stringify(trace)` without serialising anything twice: a trace lists each event and message both
 * in its history and in its timestep, and a message's chat content is also stored on its own in
 * `messages.content`. Output is byte-identical to `JSON.stringify` (a test holds it to that).
 * @module
 */

type Memo = Map<object, string>;

function objectJson(obj: object, special: (key: string, value: unknown) => string | undefined): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const s = special(key, value) ?? JSON.stringify(value);
    if (s !== undefined) parts.push(`${JSON.stringify(key)}:${s}`);
  }
  return `{${parts.join(',')}}`;
}

/** JSON of one chat content, memoised by object identity. */
export function contentJson(content: object, memo: Memo): string {
  let s = memo.get(content);
  if (s === undefined) {
    s = JSON.stringify(content);
    memo.set(content, s);
  }
  return s;
}

function itemJson(item: object, memo: Memo): string {
  let s = memo.get(item);
  if (s === undefined) {
    s = objectJson(item, (key, value) =>
      key === 'content' && typeof value === 'object' && value !== null ? contentJson(value, memo) : undefined,
    );
    memo.set(item, s);
  }
  return s;
}

const listJson = (list: readonly object[], memo: Memo) => `[${list.map((x) => itemJson(x, memo)).join(',')}]`;

/** The trace as JSON, identical to `JSON.stringify(trace)`; `memo` lets callers reuse content JSON. */
export function traceJson(trace: object, memo: Memo = new Map()): string {
  return objectJson(trace, (key, value) => {
    if ((key === 'event_history' || key === 'markov_blanket_message_history') && Array.isArray(value)) {
      return listJson(value, memo);
    }
    if (key === 'session_time_steps' && Array.isArray(value)) {
      const steps = value.map((step: object) =>
        objectJson(step, (k, v) =>
          (k === 'events' || k === 'markov_blanket_messages') && Array.isArray(v)
            ? listJson(v, memo)
            : undefined,
        ),
      );
      return `[${steps.join(',')}]`;
    }
    return undefined;
  });
}
