/**
 * Whether eval's trace store writes on a thread of its own. The writer thread takes inserts, commits and
 * WAL checkpoints off the thread that runs rollouts and judges, but costs CPU of its own (a second heap,
 * the trace's JSON copied across). Measured on 2 cores with a local mock provider (1,000 Banking77
 * rollouts, bench/eval-harness): 2.87-3.00 s writing inline vs 3.21-3.33 s with the thread, whose CPU
 * competes with the rollouts for the second core. With more cores that competition is gone and eval's own
 * thread is what bounds a run.
 * @module
 */
import { availableParallelism } from 'node:os';

/** True on machines with more than 2 cores. */
export function evalWritesOnThread(cores: number = availableParallelism()): boolean {
  return cores > 2;
}
