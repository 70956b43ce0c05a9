import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCompactChat } from '../../src/filter/compact-chat.ts';

/** Strings that stress the literal scanner: escaped quotes, backslash runs before a quote, unicode, controls. */
const TRICKY = [
  '',
  'plain',
  'say "hi"',
  'ends with a backslash \\',
  'two \\\\ then quote "',
  '\\"',
  '\\\\"',
  'tab\tnew\nline\r',
  'emoji 🎮 and é and \u2028 and \u0000',
  'lone \ud800 surrogate',
  '{"actions":["move_left","do"]}',
  '"}',
  '","type":"function"',
  '],"x":1}',
];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

function randomText(rand: () => number): string {
  const alphabet = ['a', ' ', '"', '\\', '\n', '{', '}', ',', ':', '[', ']', 'é', '🎮', '\u0001'];
  let out = '';
  const n = Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

/** The parser must agree with JSON.parse whenever it answers. */
function agrees(text: string): boolean {
  const fast = parseCompactChat(text);
  if (fast === undefined) return false;
  assert.deepEqual(fast, JSON.parse(text), text);
  // Same key order, so the stored text still stands for the message's JSON.
  assert.equal(JSON.stringify(fast), text);
  return true;
}

describe('parseCompactChat', () => {
  it('parses compact system, user and tool-call messages exactly as JSON.parse does', () => {
    const rand = random(7);
    const texts: string[] = [];
    for (const t of [...TRICKY, ...Array.from({ length: 300 }, () => randomText(rand))]) {
      texts.push(
        JSON.stringify({ role: 'user', content: t }),
        JSON.stringify({ role: 'system', content: t }),
      );
      const calls = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => ({
        id: `call_${i}${t}`,
        type: 'function',
        function: { name: `tool${t}`, arguments: JSON.stringify({ text: t }) },
      }));
      texts.push(JSON.stringify({ role: 'assistant', content: null, tool_calls: calls }));
    }
    for (const text of texts) assert.ok(agrees(text), `fell back on ${text}`);
  });

  it('leaves every other shape to JSON.parse', () => {
    const others = [
      '{"role":"user","content":null}',
      '{"role":"user","content":"a","name":"x"}',
      '{"role":"user","content":"a"} ',
      '{"role":"user","content":"a"}}',
      '{"role":"user","content":"a\\"}',
      '{"role":"user", "content":"a"}',
      '{"role":"tool","content":"a"}',
      '{"role":"user","content":[{"type":"text","text":"a"}]}',
      '{"role":"user","content":"bad \\x escape"}',
      '{"role":"user","content":"raw \u0001 control"}',
      '{"role":"assistant","content":"text","tool_calls":[]}',
      '{"role":"assistant","content":null,"tool_calls":[]}',
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"n","arguments":"{}"}},]}',
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"n","arguments":{}}}]}',
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"n","arguments":"{}"}}],"x":1}',
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"n","arguments":"{}","x":1}}]}',
      '{"role":"assistant","content":null,"tool_calls":[{"id":7,"type":"function","function":{"name":"n","arguments":"{}"}}]}',
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"n","arguments":"{}"}}]',
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"n","arguments":"{}"}} ]}',
    ];
    for (const text of others) assert.equal(parseCompactChat(text), undefined, text);
  });
});
