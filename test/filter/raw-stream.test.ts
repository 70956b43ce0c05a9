/**
 * The filter reads the store's raw stream (messages as stored text, reused verbatim where normalization
 * changes nothing). A store without that stream is read through the parsed one: both must write the same bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { type FilterOptions, resolveFilterOptions, runFilter } from '../../src/filter/index.ts';
import { openTraceStore } from '../../src/tracing/index.ts';
import type { TraceStore } from '../../src/tracing/store.ts';
import { crafterTurn, tempDir, writeDb } from './fixtures.ts';

/** The same store with the raw stream hidden. */
async function parsedOnly(location: string): Promise<TraceStore> {
  const store = await openTraceStore(location);
  assert.ok(store);
  return {
    location: store.location,
    insertSession: (t) => store.insertSession(t),
    getSession: (id) => store.getSession(id),
    listSessions: (s) => store.listSessions(s),
    iterateSessionsWithMessages: (s) => store.iterateSessionsWithMessages(s),
    countSessions: (s) => store.countSessions(s),
    mergeJudgeMetadata: (id, v) => store.mergeJudgeMetadata(id, v),
    close: () => store.close(),
  };
}

async function makeDb(): Promise<string> {
  const db = await writeDb([
    { id: 'crafter', messages: [...crafterTurn(0, ['do']), ...crafterTurn(1, ['noop'])] },
    { id: 'crafter-copy', messages: crafterTurn(0, ['do']) },
    {
      id: 'chat-tools',
      messages: [
        { role: 'system', content: 'You answer. token: abcd1234efgh5678ijkl' },
        { role: 'user', content: 'What is 2+2? ünïcode ✓' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'calc', arguments: ' {"x": 2} ' } }],
        },
        { role: 'tool', content: '4' } as never,
        { role: 'assistant', content: 'It is 4.' },
      ],
    },
    {
      id: 'image',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
        { role: 'assistant', content: 'a tree' },
      ],
    },
    {
      id: 'spaced',
      messages: [
        { role: 'user', content: 'placeholder' },
        { role: 'assistant', content: 'ok' },
      ],
    },
  ]);
  // Content written by another tool, with spaces after the colons, and a message-level metadata object.
  const conn = new Database(db);
  conn
    .prepare(
      `UPDATE messages SET content = '{"role": "user", "content": "spaced out"}', metadata = '{"note": 1}'
       WHERE session_id = 'spaced' AND message_type = 'user'`,
    )
    .run();
  conn.close();
  return db;
}

async function run(db: string, extra: Partial<FilterOptions>, parsed: boolean) {
  const output = join(tempDir(), 'out.jsonl');
  const options = { ...resolveFilterOptions(undefined, { db, output, criteria: {} }), ...extra };
  const result = await runFilter(options, parsed ? { openStore: parsedOnly } : {});
  return { text: readFileSync(output, 'utf8'), counts: result.counts };
}

describe('raw stream vs parsed stream', () => {
  for (const extra of [{}, { mode: 'conversation' as const }, { keepDuplicates: true }]) {
    it(`write the same bytes (${JSON.stringify(extra)})`, async () => {
      const db = await makeDb();
      const raw = await run(db, extra, false);
      const parsed = await run(db, extra, true);
      assert.ok(raw.text.length > 0);
      assert.equal(raw.text, parsed.text);
      assert.deepEqual(raw.counts, parsed.counts);
      assert.match(raw.text, /"content":"spaced out"/);
      assert.match(raw.text, /\[REDACTED\]/);
      assert.match(raw.text, /"arguments":"\{\\"x\\": 2\}"/);
      if (!('keepDuplicates' in extra) && !('mode' in extra)) assert.ok(raw.counts.duplicates > 0);
    });
  }
});
