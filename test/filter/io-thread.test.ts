/**
 * Messages read and output written on the I/O thread (`ioThread: true`) must give exactly what the one-thread
 * path gives:
 * the same bytes, the same counts, for every mode and every criterion applied while streaming. The DB spans
 * several reader pages (32 sessions each) and packed strings (40,000 characters each), with one value longer
 * than a packed string, two-byte text, SQL NULL metadata, foreign content and tools found only in events.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  write,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { type FilterOptions, resolveFilterOptions, runFilter } from '../../src/filter/index.ts';
import { SECRET_PATTERN_SOURCES } from '../../src/filter/scrub.ts';
import { openTraceStore } from '../../src/tracing/index.ts';
import { SESSION_MESSAGE_TYPES, summaryScan } from '../../src/tracing/sqlite/raw-reads.ts';
import type { ChatMessage } from '../../src/tracing/types.ts';
import { crafterTurn, makeTrace, tempDir, withToolEvent } from './fixtures.ts';

function messagesFor(i: number): ChatMessage[] {
  switch (i % 6) {
    case 0:
      // Every tenth session repeats another's turns exactly: duplicates to drop.
      return [...crafterTurn(i % 10 === 0 ? 0 : i, ['do']), ...crafterTurn(i + 1, ['noop'])];
    case 1:
      return [
        { role: 'system', content: `You answer. api_key=abcd1234efgh5678ijkl${i}` },
        { role: 'user', content: `Wie viel ist ${i}+2? ünïcode ✓ 数学` },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: `c${i}`, type: 'function', function: { name: 'calc', arguments: ` {"x": ${i}} ` } },
            { id: `d${i}`, type: 'function', function: { name: 'calc', arguments: '{"y": 1}' } },
          ],
        },
        { role: 'tool', content: String(i + 2) } as ChatMessage,
        { role: 'assistant', content: `It is ${i + 2}.` },
      ];
    case 2:
      return [
        {
          role: 'user',
          content: [
            { type: 'text', text: `look ${i}` },
            { type: 'image_url', image_url: { url: `https://example.com/${i}.png` } },
          ],
        },
        // A provider key (redacted) and the same shape in the wrong case (kept): checked on the I/O thread.
        {
          role: 'assistant',
          content: `a tree sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX${i} SK-PROJ-ABCDEFGHIJKLMNOPQRSTUVWX`,
        },
      ];
    case 3:
      return crafterTurn(i, ['move_left', 'do']);
    case 4:
      // Long observations: several packed strings per page, and one value longer than a packed string.
      return [
        { role: 'system', content: 'Summarize.' },
        { role: 'user', content: `${'observation '.repeat(i === 4 ? 5000 : 300)}${i}` },
        { role: 'assistant', content: `summary ${i}` },
      ];
    default:
      return [
        {
          role: 'user',
          content: i % 4 === 1 ? `call with Authorization: Bearer abcdefghijklmnop${i}` : 'placeholder',
        },
        { role: 'assistant', content: `ok ${i}`, name: 'helper' },
      ];
  }
}

async function makeDb(sessions: number, encoding = 'UTF-8'): Promise<string> {
  const path = join(tempDir(), 'traces.db');
  // The encoding is set before the first table; our store keeps whatever the file has.
  const fresh = new Database(path);
  fresh.exec(`PRAGMA encoding = '${encoding}'`);
  fresh.exec('CREATE TABLE placeholder (x)');
  fresh.exec('DROP TABLE placeholder');
  fresh.close();
  const store = (await openTraceStore(path))!;
  for (let i = 0; i < sessions; i++) {
    const trace = makeTrace(
      { id: `s${String(i).padStart(3, '0')}`, messages: messagesFor(i), judge: { primary: (i % 7) / 6 } },
      i,
    );
    await store.insertSession(i % 6 === 3 ? withToolEvent(trace) : trace);
  }
  await store.close();
  const conn = new Database(path);
  // Content written by another tool (spaces after colons), message metadata, and SQL NULL metadata.
  conn.exec(`UPDATE messages SET content = '{"role": "user", "content": "spaced ' || session_id || '"}',
    metadata = '{"note": 1}' WHERE message_type = 'user' AND content LIKE '%placeholder%'`);
  conn.exec(`UPDATE messages SET metadata = NULL WHERE message_type = 'assistant' AND session_id LIKE '%5'`);
  // Recorded order is (timestamp, id), not insertion order: one session reversed, one tied on timestamp.
  conn.exec(`UPDATE messages SET timestamp = 1000000 - id WHERE session_id = 's009'`);
  conn.exec(`UPDATE messages SET timestamp = 0 WHERE session_id = 's015'`);
  conn.close();
  return path;
}

async function both(db: string, extra: Partial<FilterOptions>, criteria: FilterOptions['criteria'] = {}) {
  const runs = [];
  for (const ioThread of [false, true]) {
    const output = join(tempDir(), 'out.jsonl');
    const options = { ...resolveFilterOptions(undefined, { db, output, criteria }), ...extra };
    const result = await runFilter(options, { ioThread });
    runs.push({
      text: readFileSync(output, 'utf8'),
      counts: result.counts,
      sha: result.manifest.output.sha256,
    });
  }
  return { single: runs[0]!, threaded: runs[1]! };
}

const dbPromise = makeDb(100);

describe('I/O thread', () => {
  const cases: [string, Partial<FilterOptions>, FilterOptions['criteria']][] = [
    ['turn mode', {}, {}],
    ['conversation mode', { mode: 'conversation' }, {}],
    ['keep duplicates', { keepDuplicates: true }, {}],
    ['judge threshold and shuffle', {}, { minJudgeScores: { primary: 0.5 }, shuffle: true, shuffleSeed: 7 }],
    ['offset and a limit reached mid-stream', {}, { offset: 5, limit: 60 }],
    ['require_images', {}, { requireImages: true }],
  ];
  for (const [name, extra, criteria] of cases) {
    it(`writes the same bytes and counts as one thread: ${name}`, async () => {
      const { single, threaded } = await both(await dbPromise, extra, criteria);
      assert.ok(single.text.length > 0);
      assert.equal(threaded.text, single.text);
      assert.deepEqual(threaded.counts, single.counts);
      assert.equal(threaded.sha, single.sha);
    });
  }
  it('carries what only some sessions have: tools from events, two-byte text, long values', async () => {
    const { threaded } = await both(await dbPromise, {});
    const lines = threaded.text.trim().split('\n');
    assert.ok(
      lines.some((l) => l.includes('"tools":[{"type":"function","function":{"name":"interact_many"')),
    );
    assert.ok(lines.some((l) => l.includes('ünïcode ✓ 数学')));
    assert.ok(lines.some((l) => l.includes(`${'observation '.repeat(5000)}4`)));
    assert.ok(lines.some((l) => l.includes('"content":"spaced s011"')));
    assert.ok(threaded.counts.duplicates > 0);
    assert.ok(threaded.counts.scrubbedSecrets > 0);
    assert.ok(lines.some((l) => l.includes('Bearer [REDACTED]')));
    assert.ok(lines.some((l) => l.includes('a tree [REDACTED] SK-PROJ-ABCDEFGHIJKLMNOPQRSTUVWX')));
    assert.ok(!threaded.text.includes('sk-proj-'));
  });
  it('keeps recorded order (timestamp, then id), not insertion order', async () => {
    const { single, threaded } = await both(await dbPromise, { mode: 'conversation' });
    const line = (text: string) => text.split('\n').find((l) => l.includes('"session_id":"s009"'));
    const reversed = line(threaded.text);
    assert.ok(reversed);
    assert.equal(reversed, line(single.text));
    // s009's messages were stored backwards: its conversation opens with the last assistant answer.
    assert.equal((JSON.parse(reversed).messages as ChatMessage[])[0]?.role, 'assistant');
  });
  for (const encoding of ['UTF-16le', 'UTF-16be']) {
    it(`reads a ${encoding} DB as one thread does`, async () => {
      const db = await makeDb(40, encoding);
      const conn = new Database(db);
      assert.equal((conn.prepare('PRAGMA encoding').raw(true).get() as string[])[0], encoding);
      conn.close();
      const { single, threaded } = await both(db, {});
      assert.ok(single.text.includes('ünïcode ✓ 数学'));
      assert.equal(threaded.text, single.text);
      assert.deepEqual(threaded.counts, single.counts);
    });
  }
  it('stops cleanly on a failure mid-export: the thread settles, no output, no temp file', async () => {
    const db = await makeDb(100);
    const conn = new Database(db);
    conn.exec(`UPDATE session_traces SET judge_metadata = '[1,2]' WHERE session_id = 's070'`);
    conn.close();
    const folder = tempDir();
    const output = join(folder, 'out.jsonl');
    await assert.rejects(
      runFilter(resolveFilterOptions(undefined, { db, output, criteria: {} }), { ioThread: true }),
      /judge_metadata is not a JSON object/,
    );
    assert.deepEqual(readdirSync(folder), []);
  });
  it('stops reading at the limit', async () => {
    const { threaded } = await both(await dbPromise, {}, { limit: 3 });
    assert.equal(threaded.counts.examplesWritten, 3);
    assert.ok(threaded.counts.sessionsRead < 10);
    assert.equal(threaded.counts.stoppedByLimit, true);
  });
});

describe('I/O thread reading', () => {
  /** Every page the reading side posts for the whole selection of `file`. */
  async function pagesOf(file: string): Promise<unknown[]> {
    const { createReading } = await import('../../src/filter/io-worker-read.mjs');
    const posted: unknown[] = [];
    const pages = { postMessage: (m: unknown) => posted.push(m) };
    const reading = createReading(
      {
        file,
        types: [...SESSION_MESSAGE_TYPES],
        cacheKib: 1024,
        pages: pages as never,
        secrets: SECRET_PATTERN_SOURCES,
      },
      { postMessage: () => {} } as never,
    );
    reading.start(summaryScan({}), 32, 1000);
    return posted;
  }

  it('reads the same pages from a DB without the ordering index (an ordered aggregate instead)', async () => {
    const file = await dbPromise;
    const copy = join(tempDir(), 'no-index.db');
    // VACUUM INTO: a copy with what is still in the WAL, which copying the file would miss.
    const source = new Database(file);
    source.exec(`VACUUM INTO '${copy}'`);
    source.close();
    const conn = new Database(copy);
    conn.exec('DROP INDEX idx_message_session_order');
    // The preferred statement needs that index: it fails to prepare, so the fallback is what runs.
    assert.throws(() => conn.prepare(summaryScan({}).messages[0]), /no such index/);
    conn.close();
    const withIndex = await pagesOf(file);
    const without = await pagesOf(copy);
    assert.ok(withIndex.length >= 4); // 100 sessions: 4 pages of 32, then the end
    assert.ok(withIndex.some((m) => typeof m === 'object' && m !== null && 'end' in m));
    assert.deepEqual(without, withIndex);
  });
});

/** Lines of many lengths, as buffers the writer may keep (each with slack past its length). */
function someLines(count: number): { chunks: Buffer[]; all: Buffer } {
  const chunks: Buffer[] = [];
  for (let i = 0; i < count; i++) chunks.push(Buffer.from(`line ${i} ${'x'.repeat((i * 37) % 3000)}\n`));
  return { chunks, all: Buffer.concat(chunks) };
}

/** A descriptor of `file` opened for direct I/O, or null where this platform or file system has none. */
function openDirect(file: string): number | null {
  if (constants.O_DIRECT === undefined) return null;
  try {
    return openSync(file, constants.O_WRONLY | constants.O_DIRECT);
  } catch {
    return null;
  }
}

/** Whether the file system under `folder` takes a direct write whose length is not a multiple of a block. */
function takesUnalignedDirect(folder: string): boolean {
  const probe = join(folder, 'probe.bin');
  closeSync(openSync(probe, 'w'));
  const fd = openDirect(probe);
  if (fd === null) return false;
  try {
    writeSync(fd, Buffer.alloc(1000), 0, 1000, 0);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** A positional write that starts 20 ms late, so the writer's chunks stay in flight while it fills others. */
const slowWrite = ((
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
  done: never,
) => setTimeout(() => write(fd, buffer, offset, length, position, done), 20)) as unknown as typeof write;

async function writeThrough(
  options: { chunkBytes?: number; writeOnPool?: typeof write },
  count: number,
  openSecond: (file: string) => number | null = openDirect,
): Promise<{
  file: string;
  all: Buffer;
  finished: { bytes: number; sha256: string };
  messages: unknown[];
  direct: boolean;
}> {
  const { createWriting } = await import('../../src/filter/io-worker-write.mjs');
  const file = join(tempDir(), 'out.bin');
  const fd = openSync(file, 'w');
  const direct = openSecond(file);
  const messages: unknown[] = [];
  const writing = createWriting({ postMessage: (m: unknown) => messages.push(m) }, options);
  if (direct !== null) writing.direct(direct);
  const { chunks, all } = someLines(count);
  for (const chunk of chunks) {
    const data = new ArrayBuffer(chunk.length + 5);
    new Uint8Array(data).set(chunk);
    writing.write(fd, data, chunk.length);
  }
  const finished = await writing.finish();
  if (direct !== null) closeSync(direct);
  closeSync(fd);
  return { file, all, finished, messages, direct: direct !== null };
}

describe('I/O thread writing', () => {
  it('writes around the page cache where it can: the same bytes, the exact length, the same sha256', async (t) => {
    // ~3.5 MB: several full chunks, some written on the pool while others fill, then a partial last one.
    const { file, all, finished, messages, direct } = await writeThrough({}, 2400);
    if (!direct) return t.skip('no O_DIRECT on this platform or file system: nothing to compare');
    assert.ok(all.length > 3 * 2 ** 20 && all.length % 4096 !== 0);
    assert.deepEqual(messages, []);
    assert.equal(finished.bytes, all.length);
    assert.equal(finished.sha256, createHash('sha256').update(all).digest('hex'));
    assert.equal(statSync(file).size, all.length);
    assert.deepEqual(readFileSync(file), all);
  });
  it('fills no chunk whose write is still in flight: with a slow disk every byte lands where it belongs', async (t) => {
    // ~7 MB with each pool write 20 ms late: the four chunks are all in flight again and again.
    const { file, all, finished, messages, direct } = await writeThrough({ writeOnPool: slowWrite }, 5000);
    if (!direct) return t.skip('no O_DIRECT on this platform or file system: no write goes to the pool');
    assert.ok(all.length > 6 * 2 ** 20);
    assert.deepEqual(messages, []);
    assert.equal(finished.sha256, createHash('sha256').update(all).digest('hex'));
    assert.deepEqual(readFileSync(file), all);
  });
  it('falls back to the ordinary descriptor when the file system refuses a direct write', async (t) => {
    // 1,000-byte writes: a file system that checks alignment refuses the first (EINVAL), and every byte
    // must then go through the ordinary descriptor, none lost, none twice. One that does not check takes them.
    if (constants.O_DIRECT === undefined)
      t.diagnostic('no O_DIRECT on this platform: no direct write is tried');
    else if (takesUnalignedDirect(tempDir()))
      t.diagnostic('this file system takes unaligned direct writes: the fallback is not reached');
    const { file, all, finished, messages } = await writeThrough({ chunkBytes: 1000 }, 300);
    assert.deepEqual(messages, []);
    assert.equal(finished.bytes, all.length);
    assert.equal(finished.sha256, createHash('sha256').update(all).digest('hex'));
    assert.deepEqual(readFileSync(file), all);
  });
  it('settles before the thread stops: what was handed over is written, later writes are skipped', async (t) => {
    const { createWriting } = await import('../../src/filter/io-worker-write.mjs');
    const file = join(tempDir(), 'out.bin');
    const fd = openSync(file, 'w');
    const direct = openDirect(file);
    if (direct === null) {
      closeSync(fd);
      return t.skip('no O_DIRECT on this platform or file system: no write goes to the pool');
    }
    // Pool writes 20 ms late: the settle must wait for them.
    const writing = createWriting({ postMessage: () => {} }, { writeOnPool: slowWrite });
    writing.direct(direct);
    const { chunks } = someLines(2400);
    const write = (chunk: Buffer) => {
      const data = new ArrayBuffer(chunk.length);
      new Uint8Array(data).set(chunk);
      writing.write(fd, data, chunk.length);
    };
    for (const chunk of chunks) write(chunk);
    // Three full 1 MiB chunks were handed over: the first written at once, the others on the pool.
    await writing.settle();
    assert.equal(statSync(file).size, 3 * 2 ** 20);
    write(Buffer.from('after the settle\n'));
    await writing.finish();
    closeSync(direct);
    closeSync(fd);
    assert.equal(statSync(file).size, 3 * 2 ** 20);
  });
  it('reports a direct write that fails for another reason, and writes nothing after it', async (t) => {
    if (constants.O_DIRECT === undefined) return t.skip('no O_DIRECT on this platform');
    // A descriptor that cannot write: EBADF, which is no reason to fall back.
    const { messages } = await writeThrough({}, 2400, (file) => {
      try {
        return openSync(file, constants.O_RDONLY | (constants.O_DIRECT ?? 0));
      } catch {
        return null;
      }
    });
    assert.equal(messages.length, 1);
    assert.equal((messages[0] as { code?: string }).code, 'EBADF');
  });
  it('flushes in the background without changing the bytes, and finishes after the last flush', async () => {
    const { createWriting } = await import('../../src/filter/io-worker-write.mjs');
    const file = join(tempDir(), 'out.bin');
    const fd = openSync(file, 'w');
    const messages: unknown[] = [];
    // A flush after every write: most start while another is in flight, and one is in flight at the end.
    const writing = createWriting({ postMessage: (m: unknown) => messages.push(m) }, { flushEvery: 1 });
    const expected: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const chunk = Buffer.from(`line ${i} ${'x'.repeat(i)}\n`);
      expected.push(chunk);
      const data = new ArrayBuffer(chunk.length + 7);
      new Uint8Array(data).set(chunk);
      writing.write(fd, data, chunk.length);
    }
    const finished = await writing.finish();
    closeSync(fd);
    const all = Buffer.concat(expected);
    assert.deepEqual(messages, []);
    assert.equal(finished.bytes, all.length);
    assert.equal(finished.sha256, createHash('sha256').update(all).digest('hex'));
    assert.deepEqual(readFileSync(file), all);
  });
});
