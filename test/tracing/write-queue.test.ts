/** The group-commit queue on a real libsql connection: batching, per-job failure, failed commits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { createWriteQueue } from '../../src/tracing/sqlite/write-queue.ts';

function setup() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const count = () => (db.prepare('SELECT COUNT(*) AS n FROM t').all()[0] as { n: number }).n;
  return { db, insert, count };
}

describe('write queue', () => {
  it('commits jobs queued together in one transaction; a failing job fails alone', async () => {
    const { db, insert, count } = setup();
    const queue = createWriteQueue({ exec: (sql) => db.exec(sql) });
    const jobs = [1, 2, 2, 3].map((v) => queue.enqueue(() => insert.run(v)));
    const results = await Promise.allSettled(jobs);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(count(), 3);
    assert.deepEqual(queue.stats(), { batches: 1, jobs: 4 });
  });

  it('a failed COMMIT rejects every job of the batch and stores none of them', async () => {
    const { db, insert, count } = setup();
    let failCommit = true;
    const queue = createWriteQueue({
      exec(sql) {
        if (sql === 'COMMIT' && failCommit) throw new Error('disk I/O error');
        db.exec(sql);
      },
    });
    const results = await Promise.allSettled([1, 2].map((v) => queue.enqueue(() => insert.run(v))));
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(count(), 0);
    assert.equal(db.inTransaction, false);
    failCommit = false;
    await queue.enqueue(() => insert.run(5));
    await queue.drain();
    assert.equal(count(), 1);
  });

  it('bounds the sessions per transaction', async () => {
    const { db, insert } = setup();
    const queue = createWriteQueue({ exec: (sql) => db.exec(sql) }, { maxBatch: 10 });
    await Promise.all(Array.from({ length: 35 }, (_, i) => queue.enqueue(() => insert.run(i))));
    assert.deepEqual(queue.stats(), { batches: 4, jobs: 35 });
  });
});
