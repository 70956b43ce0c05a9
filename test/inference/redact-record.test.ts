import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCallRecord, containsKeys, redactKeys, redactKeysDeep } from '../../src/inference/index.ts';
import type { ChatRequest } from '../../src/inference/types.ts';

const SECRET = 'local-secret-value-42';

function recordFor(request: ChatRequest) {
  return buildCallRecord({
    apiType: 'chat_completions',
    provider: 'openai-compatible',
    model: 'm',
    request,
    startedAt: Date.now(),
    latencyMs: 5,
    output: { role: 'assistant', content: 'fine' },
    usage: null,
    finishReason: 'stop',
    metadata: {},
    secrets: [SECRET],
  });
}

describe('key scrubbing fast path', () => {
  it('finds secrets and key shapes anywhere in a value, and nothing in plain text', () => {
    assert.equal(containsKeys({ a: ['plain', { b: 'text only' }], n: 3, z: null }, [SECRET]), false);
    assert.equal(containsKeys({ a: [{ b: `x ${SECRET} y` }] }, [SECRET]), true);
    assert.equal(containsKeys(['authorization: bearer abcdefghijkl'], []), true);
    assert.equal(containsKeys({ k: 'gsk_abcdefghijklmnopqrstu' }), true);
    // Short "secrets" are never masked (they would hit ordinary words), so they do not count.
    assert.equal(containsKeys('the cat', ['cat']), false);
  });

  it('scrubs exactly as before: lower-case bearer, several secrets, text left alone when clean', () => {
    assert.equal(redactKeys('auth bearer abcdefghijkl ok', []), 'auth bearer [redacted] ok');
    assert.equal(redactKeys(`${SECRET}/${SECRET}`, [SECRET]), '[redacted]/[redacted]');
    const clean = 'Valid intents: card_arrival, card_linking';
    assert.equal(redactKeys(clean, [SECRET]), clean);
    assert.deepEqual(redactKeysDeep({ a: [`k=${SECRET}`] }, [SECRET]), { a: ['k=[redacted]'] });
  });

  it('scrubs a record whose prompt holds the key, without touching the request', () => {
    const messages = [{ role: 'user' as const, content: `my key is ${SECRET}` }];
    const record = recordFor({ messages });
    assert.equal(record.input_messages[0]?.content, 'my key is [redacted]');
    assert.equal(messages[0]?.content, `my key is ${SECRET}`);
    assert.ok(!JSON.stringify(record).includes(SECRET));
  });

  it('keeps a clean record whole, with its own message list', () => {
    const messages = [{ role: 'user' as const, content: 'classify: where is my card?' }];
    const record = recordFor({ messages, temperature: 0 });
    assert.deepEqual(record.input_messages, messages);
    assert.notEqual(record.input_messages, messages);
    messages.push({ role: 'user', content: 'later turn' });
    assert.equal(record.input_messages.length, 1);
    assert.equal(record.request_params.temperature, 0);
  });
});
