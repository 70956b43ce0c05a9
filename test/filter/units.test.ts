import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { describe, it } from 'node:test';
import { FingerprintSet } from '../../src/filter/fingerprint-set.ts';
import {
  buildConversationExample,
  buildTurnExamples,
  criteriaProblems,
  MISSING_TOOL_RESULT,
  mapToolCalls,
  normalizeMessage,
  parsePythonLiteral,
  parseTimeBound,
  parseToolCallText,
  readConversation,
  redactSecretLike,
  validateChatExample,
  validateDpoExample,
} from '../../src/filter/index.ts';
import { sha1PrefixInto } from '../../src/filter/io-worker-digest.mjs';
import { sha1Prefix } from '../../src/filter/message-pieces.ts';
import type { SessionWithMessages } from '../../src/tracing/store.ts';

function session(
  messages: { message_type: string; content: unknown; metadata?: object }[],
): SessionWithMessages {
  return {
    session_id: 's',
    created_at: '2025-01-01T00:00:00Z',
    metadata: {},
    total_reward: 1,
    judge_metadata: null,
    num_timesteps: 0,
    num_events: 0,
    num_messages: messages.length,
    outcome: null,
    messages: messages.map((m, i) => ({
      message_type: m.message_type as 'user',
      content: m.content as never,
      time_record: { event_time: i },
      metadata: (m.metadata ?? {}) as never,
    })),
  };
}

describe('python literal', () => {
  it('parses repr of tool calls with nested quotes, tuples, None/True', () => {
    assert.deepEqual(
      parsePythonLiteral(
        "[{'tool_name': 'interact_many', 'arguments': {'actions': ('move_up', \"it's\"), 'n': -1.5e2, 'x': None, 'y': True}}]",
      ),
      [
        {
          tool_name: 'interact_many',
          arguments: { actions: ['move_up', "it's"], n: -150, x: null, y: true },
        },
      ],
    );
  });
  it('refuses text that is not one literal', () => {
    assert.equal(parsePythonLiteral("[{'a': 1}] trailing"), undefined);
    assert.equal(parsePythonLiteral('move up then do'), undefined);
    assert.equal(parsePythonLiteral("{'a': "), undefined);
  });
});

describe('tool calls from text', () => {
  it('converts a Python repr into OpenAI tool_calls with JSON arguments', () => {
    const calls = parseToolCallText(
      "[{'tool_name': 'interact_many', 'arguments': {'actions': ['do']}}]",
      'call_3',
    );
    assert.deepEqual(calls, [
      {
        id: 'call_3_0',
        type: 'function',
        function: { name: 'interact_many', arguments: '{"actions":["do"]}' },
      },
    ]);
  });
  it('leaves plain text and arbitrary JSON objects alone', () => {
    assert.equal(parseToolCallText('I will move up.', 'c'), undefined);
    assert.equal(parseToolCallText('{"answer": 42}', 'c'), undefined);
    assert.equal(parseToolCallText('[1, 2, 3]', 'c'), undefined);
  });
});

describe('message normalization (Python synth-ai shapes)', () => {
  it('maps policy_* types and unwraps JSON wrappers', () => {
    assert.deepEqual(
      normalizeMessage({ message_type: 'policy_system_prompt', content: '{"text": "sys"}' }, 'c'),
      {
        role: 'system',
        content: 'sys',
      },
    );
    assert.deepEqual(
      normalizeMessage(
        { message_type: 'policy_user_prompt', content: '{"payload": {"content": "obs"}}' },
        'c',
      ),
      { role: 'user', content: 'obs' },
    );
    assert.deepEqual(
      normalizeMessage({ message_type: 'user', content: { role: 'user', content: '{"content": "x"}' } }, 'c'),
      {
        role: 'user',
        content: '{"content": "x"}',
      },
    );
    const call = normalizeMessage(
      {
        message_type: 'policy_tool_call',
        content: { role: 'user', content: "[{'tool_name': 'do', 'arguments': {}}]" },
      },
      'call_1',
    );
    assert.deepEqual(call, {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'do', arguments: '{}' } }],
    });
  });
  it('turns legacy image parts into OpenAI image parts', () => {
    const m = normalizeMessage(
      {
        message_type: 'user',
        content: JSON.stringify({
          content: [
            { type: 'text', text: 'look' },
            { type: 'image', base64_data: 'AAAA', mime_type: 'image/png' },
          ],
        }),
      },
      'c',
    );
    assert.deepEqual(m?.content, [
      { type: 'text', text: 'look' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
    ]);
  });
});

describe('examples', () => {
  const stateless = session([
    { message_type: 'system', content: { role: 'system', content: 'S' } },
    { message_type: 'user', content: { role: 'user', content: 'o1' } },
    { message_type: 'assistant', content: { role: 'assistant', content: 'a1' } },
    { message_type: 'system', content: { role: 'system', content: 'S' } },
    { message_type: 'user', content: { role: 'user', content: 'o2' } },
    { message_type: 'assistant', content: { role: 'assistant', content: 'a2' } },
  ]);
  it('turn mode: system prompt + that turn observation for a stateless policy', () => {
    const turns = buildTurnExamples(readConversation(stateless)).map((e) => e.messages.map((m) => m.content));
    assert.deepEqual(turns, [
      ['S', 'o1', 'a1'],
      ['S', 'o2', 'a2'],
    ]);
  });
  it('turn mode: the whole history when the system prompt was sent once', () => {
    const chat = session([
      { message_type: 'system', content: { role: 'system', content: 'S' } },
      { message_type: 'user', content: { role: 'user', content: 'q1' } },
      {
        message_type: 'assistant',
        content: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'x', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      },
      { message_type: 'tool_result', content: { role: 'tool', tool_call_id: 'x', content: 'r' } },
      { message_type: 'assistant', content: { role: 'assistant', content: 'a2' } },
    ]);
    const turns = buildTurnExamples(readConversation(chat));
    assert.equal(turns.length, 2);
    assert.deepEqual(
      turns[1]!.messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'tool', 'assistant'],
    );
    assert.equal(validateChatExample({ messages: turns[1]!.messages }), null);
  });
  it('conversation mode collapses repeated system prompts and closes unanswered tool calls', () => {
    const conv = session([
      { message_type: 'system', content: { role: 'system', content: 'S' } },
      { message_type: 'user', content: { role: 'user', content: 'o1' } },
      {
        message_type: 'assistant',
        content: { role: 'assistant', content: "[{'tool_name': 'do', 'arguments': {}}]" },
      },
      { message_type: 'system', content: { role: 'system', content: 'S' } },
      { message_type: 'user', content: { role: 'user', content: 'o2' } },
      {
        message_type: 'assistant',
        content: { role: 'assistant', content: "[{'tool_name': 'do', 'arguments': {}}]" },
      },
      { message_type: 'user', content: { role: 'user', content: 'trailing' } },
    ]);
    const example = buildConversationExample(readConversation(conv))!;
    assert.deepEqual(
      example.messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'tool', 'user', 'assistant'],
    );
    assert.equal(example.messages[3]!.content, MISSING_TOOL_RESULT);
    assert.equal(example.placeholders, 1);
    assert.equal(validateChatExample({ messages: example.messages }), null);
  });
});

describe('validator (OpenAI chat fine-tuning rules)', () => {
  const ok = {
    messages: [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'yo' },
    ],
  };
  it('accepts a good line, tools and metadata included', () => {
    assert.equal(validateChatExample(ok), null);
    assert.equal(
      validateChatExample({
        tools: [
          { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } },
        ],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x' },
              { type: 'image_url', image_url: { url: 'https://e.com/a.png' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
            weight: 1,
          },
        ],
        metadata: { session_id: 's' },
      }),
      null,
    );
  });
  const bad: [string, unknown, RegExp][] = [
    ['no assistant', { messages: [{ role: 'user', content: 'x' }] }, /at least one assistant/],
    ['bad role', { messages: [{ role: 'bot', content: 'x' }] }, /unknown role/],
    [
      'empty assistant',
      {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: '' },
        ],
      },
      /content or tool_calls/,
    ],
    [
      'weight on user',
      {
        messages: [
          { role: 'user', content: 'x', weight: 1 },
          { role: 'assistant', content: 'y' },
        ],
      },
      /weight/,
    ],
    [
      'python repr arguments',
      {
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: "{'a': 1}" } }],
          },
        ],
      },
      /^messages\[1\] tool_calls\[0\] function.arguments is not valid JSON$/,
    ],
    [
      'repeated tool call id',
      {
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
              { id: 'b', type: 'function', function: { name: 'f', arguments: '{}' } },
              { id: 'a', type: 'function', function: { name: 'g', arguments: '{}' } },
            ],
          },
        ],
      },
      /^messages\[1\] tool_calls\[2\] repeats id a$/,
    ],
    [
      'orphan tool',
      {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'z', content: 'r' },
          { role: 'assistant', content: 'y' },
        ],
      },
      /no preceding assistant/,
    ],
    [
      'unanswered call mid-way',
      {
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'user', content: 'y' },
          { role: 'assistant', content: 'z' },
        ],
      },
      /no tool message answering/,
    ],
    [
      'image in assistant',
      {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png' } }] },
        ],
      },
      /only in user/,
    ],
    ['bad tools', { tools: [{ name: 'f' }], messages: ok.messages }, /tools\[0\]/],
    [
      'call to unknown tool',
      {
        tools: [{ type: 'function', function: { name: 'g' } }],
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
        ],
      },
      /not in tools/,
    ],
    ['extra key', { ...ok, prompt: 'x' }, /unknown top-level key/],
  ];
  for (const [name, line, reason] of bad) {
    it(`rejects: ${name}`, () => assert.match(validateChatExample(line) ?? 'ACCEPTED', reason));
  }
  it('checks DPO lines', () => {
    const input = { messages: [{ role: 'user', content: 'q' }] };
    assert.equal(
      validateDpoExample({
        input,
        preferred_output: [{ role: 'assistant', content: 'a' }],
        non_preferred_output: [{ role: 'assistant', content: 'b' }],
      }),
      null,
    );
    assert.match(
      validateDpoExample({
        input,
        preferred_output: [{ role: 'assistant', content: 'a' }],
        non_preferred_output: [{ role: 'assistant', content: 'a' }],
      }) ?? '',
      /identical/,
    );
    assert.match(
      validateDpoExample({ input, preferred_output: [], non_preferred_output: [] }) ?? '',
      /one assistant/,
    );
  });
});

describe('secret scrubbing', () => {
  it('redacts provider keys, bearer tokens, AWS keys and key=/token= secrets inside a JSON line', () => {
    const line = JSON.stringify({
      a: 'key sk-proj-abcdefghijklmnopqrstuvwxyz123456 and sk-ant-api03-abcdefghijklmnop1234',
      b: 'gsk_ABCDEFGHIJKLMNOPQRSTUV123456 Authorization: Bearer abc.def-123456789XYZ',
      c: 'aws AKIAIOSFODNN7EXAMPLE url?token=9f86d081884c7d659a2feaa0c55ad015 api_key="Zm9vYmFyYmF6MTIzNDU2Nzg5"',
      d: 'plain words, the token: placeholder_value, sky-high, task-1234',
    });
    const { text, count } = redactSecretLike(line);
    const parsed = JSON.parse(text);
    assert.equal(count, 7);
    assert.equal(parsed.a, 'key [REDACTED] and [REDACTED]');
    assert.equal(parsed.b, '[REDACTED] Authorization: Bearer [REDACTED]');
    assert.equal(parsed.c, 'aws [REDACTED] url?token=[REDACTED] api_key="[REDACTED]"');
    assert.equal(parsed.d, 'plain words, the token: placeholder_value, sky-high, task-1234');
    // The pattern is shared and global: a second call, right after one that matched, finds the same.
    assert.deepEqual(redactSecretLike(line), { text, count });
    // A clean text comes back as it is; a case-insensitive near-miss (not a provider's exact prefix) too.
    const clean = 'Inventory: wood 2, stone 0. Nearby: tree, water.';
    assert.deepEqual(redactSecretLike(clean), { text: clean, count: 0 });
    const nearMiss = 'SK-ABCDEFGHIJKLMNOPQRSTUVWXYZ is a part number';
    assert.deepEqual(redactSecretLike(nearMiss), { text: nearMiss, count: 0 });
  });
});

describe('sha1 prefixes', () => {
  // Dedup compares pieces hashed on either thread: the two must agree on every text.
  it("are the first 8 bytes of the sha1 of the text's UTF-8, alike on both threads", () => {
    const texts = [
      '',
      'plain',
      '🎮 é \u2028',
      'lone \ud800 and \udc00 surrogates',
      'x'.repeat(70_000),
      'é'.repeat(1_500_000),
    ];
    const out = new Int32Array(2);
    for (const text of texts) {
      const d = hash('sha1', text, 'buffer') as Buffer;
      const expected = [d.readUInt32LE(0), d.readUInt32LE(4)];
      assert.deepEqual(sha1Prefix(text), expected, text.slice(0, 20));
      sha1PrefixInto(text, out, 0);
      assert.deepEqual([out[0]! >>> 0, out[1]! >>> 0], expected, text.slice(0, 20));
    }
  });
});

describe('fingerprint set', () => {
  it('finds duplicates across resizes', () => {
    const set = new FingerprintSet(4);
    for (let i = 0; i < 5000; i++) assert.equal(set.addText(`line ${i}`), true);
    for (let i = 0; i < 5000; i++) assert.equal(set.addText(`line ${i}`), false);
    assert.equal(set.size, 5000);
  });
  it('tells pairs apart by both halves, and takes (0, 0)', () => {
    const set = new FingerprintSet(4);
    // The same low half picks the same slot: the high half must still tell them apart, across a resize.
    for (let hi = 1; hi <= 40; hi++) assert.equal(set.addPair(hi, 7), true);
    for (let hi = 1; hi <= 40; hi++) assert.equal(set.addPair(hi, 7), false);
    assert.equal(set.addPair(7, 1), true);
    assert.equal(set.addPair(0, 0), true);
    assert.equal(set.addPair(0, 0), false);
    assert.equal(set.addPair(0xffffffff, 0xffffffff), true);
    assert.equal(set.addPair(-1, -1), false);
    assert.equal(set.size, 43);
  });
});

describe('criteria', () => {
  it('parses time bounds as UTC', () => {
    assert.equal(parseTimeBound('2025-10-22T00:00:00'), '2025-10-22T00:00:00.000Z');
    assert.equal(parseTimeBound('2025-10-22'), '2025-10-22T00:00:00.000Z');
    assert.equal(parseTimeBound(1761091200), '2025-10-22T00:00:00.000Z');
    assert.equal(parseTimeBound('2025-10-22T02:00:00+02:00'), '2025-10-22T00:00:00.000Z');
    assert.equal(parseTimeBound('yesterday'), undefined);
  });
  it('names each problem', () => {
    const problems = criteriaProblems({
      minJudgeScores: { primary: 1.5, event: 0.9 },
      maxJudgeScores: { event: 0.5 },
      minOfficialScore: 3,
      maxOfficialScore: 1,
      limit: 0,
      shuffleSeed: 3,
    });
    assert.equal(problems.length, 5);
    assert.match(problems.join('\n'), /primary = 1.5 is outside \[0, 1\]/);
    assert.match(
      problems.join('\n'),
      /min_judge_scores.event \(0.9\) is greater than max_judge_scores.event/,
    );
    assert.match(problems.join('\n'), /min_official_score \(3\) is greater/);
  });
});

describe('message pieces', () => {
  it('serializes a repeated system prompt once, scrubbed, and fingerprints order-sensitively', async () => {
    const { MessagePieces, fingerprintPieces } = await import('../../src/filter/message-pieces.ts');
    const pieces = new MessagePieces();
    const a = pieces.piece({ role: 'system', content: 'key sk-proj-abcdefghijklmnopqrstuvwxyz0123' });
    pieces.reset();
    const b = pieces.piece({ role: 'system', content: 'key sk-proj-abcdefghijklmnopqrstuvwxyz0123' });
    assert.equal(a, b);
    assert.equal(a.json, '{"role":"system","content":"key [REDACTED]"}');
    assert.equal(pieces.scrubbed, 2);
    const u = pieces.piece({ role: 'user', content: 'hi' });
    assert.notDeepEqual(fingerprintPieces([a, u]), fingerprintPieces([u, a]));
    assert.deepEqual(
      fingerprintPieces([a, u]),
      fingerprintPieces([b, pieces.piece({ role: 'user', content: 'hi' })]),
    );
    assert.notDeepEqual(fingerprintPieces([a]), fingerprintPieces([a, a]));
  });
});

describe('validator and calls mapped by the filter', () => {
  const line = (calls: ReturnType<typeof mapToolCalls>) => ({
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: calls },
    ],
  });
  it('trusts only arguments it saw parse to an object, and only while they are unchanged', () => {
    const good = mapToolCalls([{ name: 'act', arguments: ' {"a": 1} ' }], 'c');
    assert.equal(validateChatExample(line(good)), null);
    const list = mapToolCalls([{ name: 'act', arguments: '[1, 2]' }], 'c');
    assert.match(validateChatExample(line(list)) ?? '', /must encode a JSON object/);
    good![0]!.function.arguments = '{not json';
    assert.match(validateChatExample(line(good)) ?? '', /is not valid JSON/);
  });
});

describe('messages already in OpenAI shape', () => {
  const calls = (args: string, id = 'call_7') => [
    { id, type: 'function', function: { name: 'interact_many', arguments: args } },
  ];
  it('are used as they are, nothing rebuilt', () => {
    const user = { role: 'user', content: 'obs\nline' };
    const assistant = { role: 'assistant', content: null, tool_calls: calls('{"actions":["do"]}') };
    assert.equal(normalizeMessage({ message_type: 'user', content: user }, 'c'), user);
    assert.equal(normalizeMessage({ message_type: 'assistant', content: assistant }, 'c'), assistant);
    // Their arguments were seen to parse to an object, until they change.
    const example = { messages: [user, assistant] };
    assert.equal(validateChatExample(example), null);
    assistant.tool_calls[0]!.function.arguments = '[1]';
    assert.match(validateChatExample(example) ?? '', /must encode a JSON object/);
  });
  it('anything short of that shape is rebuilt as before', () => {
    const json = (content: unknown, type = 'assistant') =>
      JSON.stringify(normalizeMessage({ message_type: type, content }, 'c'));
    assert.equal(json({ content: 'x', role: 'user' }, 'user'), '{"role":"user","content":"x"}');
    assert.equal(json({ role: 'user', content: ' \n ' }, 'user'), 'null');
    assert.equal(
      json({ role: 'system', content: 'x', name: 'n' }, 'system'),
      '{"role":"system","content":"x","name":"n"}',
    );
    assert.equal(
      json({ role: 'assistant', content: null, tool_calls: calls(' {"a":1} ') }),
      '{"role":"assistant","content":null,"tool_calls":[{"id":"call_7","type":"function","function":{"name":"interact_many","arguments":"{\\"a\\":1}"}}]}',
    );
    assert.equal(
      json({ role: 'assistant', content: null, tool_calls: calls('{}', '') }),
      '{"role":"assistant","content":null,"tool_calls":[{"id":"c_0","type":"function","function":{"name":"interact_many","arguments":"{}"}}]}',
    );
    const list = { role: 'assistant', content: null, tool_calls: calls('[1]') };
    const mapped = normalizeMessage({ message_type: 'assistant', content: list }, 'c');
    assert.notEqual(mapped, list);
    assert.match(
      validateChatExample({ messages: [{ role: 'user', content: 'go' }, mapped] }) ?? '',
      /JSON object/,
    );
    // A policy_* type names the role itself, whatever the stored message says.
    assert.equal(
      json({ role: 'user', content: 'x' }, 'policy_system_prompt'),
      '{"role":"system","content":"x"}',
    );
  });
});
