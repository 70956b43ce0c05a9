import cliProgress from 'cli-progress';
import { formatNumber } from './format.ts';
import type { EvalProgressEvent } from './types.ts';

/** Something that shows progress; `stop` must be called once the run ends. */
export interface ProgressReporter {
  update(event: EvalProgressEvent): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on a terminal; one plain line per finished seed otherwise
 * (`[3/10] seed 2 ok score=1 latency_ms=120`), so logs and CI output stay readable.
 */
export function createProgressReporter(stream: NodeJS.WriteStream, interactive: boolean): ProgressReporter {
  if (!interactive) {
    return {
      update(event) {
        if (event.type === 'seed-store-failed') {
          stream.write(`seed ${event.result.seed} error=${event.result.error}\n`);
          return;
        }
        if (event.type !== 'seed-done') return;
        const r = event.result;
        const tail = r.error ? ` error=${r.error}` : '';
        stream.write(
          `[${event.done}/${event.total}] seed ${r.seed} ${r.status} score=${formatNumber(r.score)} latency_ms=${formatNumber(r.latencyMs, 0)}${tail}\n`,
        );
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'rollouts {bar} {value}/{total} | {rate}/s | ETA {eta_formatted} | failed {failed}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let failed = 0;
  const wasFailed = new WeakSet<object>();
  return {
    update(event) {
      if (event.type === 'start') {
        started = performance.now();
        bar.start(event.total, 0, { rate: '0.0', failed: 0 });
        return;
      }
      if (event.type === 'seed-store-failed') {
        // Counted ok when it finished; the bar's position does not move.
        if (!wasFailed.has(event.result)) failed++;
        bar.update({ failed });
        return;
      }
      if (event.result.status !== 'ok' || event.result.error) {
        failed++;
        wasFailed.add(event.result);
      }
      const seconds = (performance.now() - started) / 1000;
      bar.update(event.done, { rate: (event.done / Math.max(seconds, 1e-3)).toFixed(1), failed });
    },
    stop() {
      bar.stop();
    },
  };
}
