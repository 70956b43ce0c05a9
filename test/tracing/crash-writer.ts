/**
 * Child process for the crash test: writes sessions to the DB named in argv[2] forever, 8 at a time,
 * and prints "committed N" after each batch, until the parent kills it with SIGKILL.
 */
import { openTraceStore } from '../../src/tracing/open-store.ts';
import { recordSample } from './fixtures.ts';

async function main(): Promise<void> {
  const store = await openTraceStore(process.argv[2]);
  if (!store) throw new Error('tracing disabled');
  let n = 0;
  for (;;) {
    const batch = Array.from({ length: 8 }, () => {
      const i = n++;
      return recordSample({ store, sessionId: `${process.pid}-${i}`, turns: 1 + (i % 7), reward: i % 3 });
    });
    await Promise.all(batch);
    process.stdout.write(`committed ${n}\n`);
  }
}

void main();
