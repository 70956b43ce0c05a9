import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPendingWrites } from '../../src/tracing/pending-writes.ts';

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

test('settle waits for every write, including one added while it waits', async () => {
  const writes = createPendingWrites();
  const done: string[] = [];
  writes.add(later(20, 'a').then((v) => done.push(v)));
  writes.add(
    later(5, 'b').then((v) => {
      done.push(v);
      // Added after settle() began: settle must still wait for it.
      writes.add(later(30, 'c').then((c) => done.push(c)));
    }),
  );
  await writes.settle();
  assert.deepEqual(done.sort(), ['a', 'b', 'c']);
});

test('the first failure is thrown by settle, after the other writes finished', async () => {
  const writes = createPendingWrites();
  let finished = false;
  writes.add(Promise.reject(new Error('disk full')));
  writes.add(later(10, null).then(() => Promise.reject(new Error('second'))));
  writes.add(later(20, null).then(() => (finished = true)));
  await assert.rejects(writes.settle(), /disk full/);
  assert.equal(finished, true);
});

test('with a limit, add lets the caller go on only while fewer writes than the limit are in flight', async () => {
  const writes = createPendingWrites({ limit: 2 });
  const order: string[] = [];
  await writes.add(later(30, 'slow').then((v) => order.push(v)));
  order.push('after 1st add');
  await writes.add(later(10, 'fast').then((v) => order.push(v)));
  // Two in flight: this add returns only once one of them has finished.
  order.push('after 2nd add');
  await writes.settle();
  assert.deepEqual(order, ['after 1st add', 'fast', 'after 2nd add', 'slow']);
});
