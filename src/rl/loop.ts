/**
 * The RL loop: per iteration, `episodes_per_batch` seeds × `group_size` rollouts, judging, combined
 * rewards, group-relative advantages, a trainer step, and evaluation every `every_n_iters`. With the async
 * pipeline, judging batch k overlaps generating batch k+1 (the batch is trained one step later).
 * Rollouts, judging and the update are injected, so one loop serves the local trainer and GPU trainers.
 * @module
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Verdict } from '../judge/verdict.ts';
import type { ChatMessage } from '../tracing/types.ts';
import { groupAdvantages } from './advantages.ts';
import {
  blendRubricRewards,
  type CombinedReward,
  combineRewards,
  type JudgeRewardSettings,
  type JudgeSignal,
  type RubricBlendWeights,
} from './combine-rewards.ts';
import { formatIterLine, formatRubricCall, formatRubricScore } from './log-lines.ts';
import { type IterationMetrics, summarizeIteration } from './metrics.ts';

/** One finished rollout. */
export interface Trajectory {
  id: string;
  seed: number;
  groupId: string;
  /** The policy version that generated it (the trainer needs it for importance ratios). */
  policyVersion: number;
  envReturn: number;
  messages: ChatMessage[];
  /** Whatever the judge needs (usually the session trace). */
  payload: unknown;
  error?: string;
}

/** A trajectory after judging and reward combination. */
export interface ScoredTrajectory {
  trajectory: Trajectory;
  verdict: Verdict | null;
  reward: CombinedReward;
  advantage: number | null;
  judgeLatencyMs: number | null;
}

export interface RlLoopDeps {
  rollout(args: {
    seed: number;
    groupId: string;
    index: number;
    policyVersion: number;
    signal: AbortSignal;
  }): Promise<Trajectory>;
  judge(trajectory: Trajectory, signal: AbortSignal): Promise<Verdict>;
  /** A trainer step on one judged batch; returns the new policy version. */
  update(
    batch: ScoredTrajectory[],
    iteration: number,
  ): Promise<{ policyVersion: number; metrics: Record<string, number> }>;
  /** Mean return on the evaluation seeds with the current policy. */
  evaluate?(seeds: readonly number[], iteration: number): Promise<{ meanReturn: number }>;
  /** Saves the policy after an iteration; returns where. */
  checkpoint?(iteration: number): Promise<string>;
}

export interface RlLoopOptions {
  iterations: number;
  /** Seeds of one iteration's batch (`episodes_per_batch` of them). */
  seedsFor(iteration: number): number[];
  groupSize: number;
  maxConcurrentRollouts: number;
  rewards:
    | { kind: 'judge'; settings: JudgeRewardSettings }
    | { kind: 'blend'; weights: RubricBlendWeights }
    | { kind: 'env' };
  /** Fraction of trajectories sent to the judge; the rest keep their env reward, marked `sampled_out`. */
  sampleRate: number;
  /** A judgment past this abstains (never a zero). */
  judgeTimeoutS: number | null;
  asyncPipeline: boolean;
  /** Concurrent judge calls. */
  judgeConcurrency: number;
  evaluation?: { seeds: number[]; everyNIters: number };
  /** For `[RUBRIC_CALL]` lines. */
  judgeInfo: { policy: string; provider: string; model: string } | null;
  log(line: string): void;
  onIteration?(metrics: IterationMetrics): void | Promise<void>;
  /** Start counting at this iteration (resume). */
  startIteration?: number;
  signal?: AbortSignal;
}

interface Generated {
  iteration: number;
  trajectories: Trajectory[];
  generationS: number;
}

interface Judged extends Generated {
  scored: ScoredTrajectory[];
  judgingS: number;
}

/** Deterministic per-trajectory sampling, so a resumed run judges the same trajectories. */
function sampled(id: string, rate: number): boolean {
  if (rate >= 1) return true;
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296 < rate;
}

function signalOf(verdict: Verdict | null, reason: string): JudgeSignal {
  if (!verdict) return { status: 'sampled_out', reason };
  if (verdict.status !== 'ok') return { status: verdict.status, reason: verdict.reason };
  return {
    status: 'ok',
    outcome: verdict.scores.outcome ?? verdict.scores.primary,
    events: verdict.scores.event,
  };
}

/** Runs the loop to the end (or until the signal aborts); returns every iteration's metrics. */
export async function runRlLoop(deps: RlLoopDeps, options: RlLoopOptions): Promise<IterationMetrics[]> {
  // One internal signal that every in-flight judgment listens to; the caller's signal feeds it once.
  const stopAll = new AbortController();
  setMaxListeners(0, stopAll.signal);
  if (options.signal?.aborted) stopAll.abort();
  else options.signal?.addEventListener('abort', () => stopAll.abort(), { once: true });
  const signal = stopAll.signal;
  const rolloutLimit = pLimit(Math.max(1, options.maxConcurrentRollouts));
  const judgeLimit = pLimit(Math.max(1, options.judgeConcurrency));
  let policyVersion = 0;
  const history: IterationMetrics[] = [];

  async function generate(iteration: number): Promise<Generated> {
    const started = performance.now();
    const version = policyVersion;
    const jobs = options.seedsFor(iteration).flatMap((seed) =>
      Array.from({ length: options.groupSize }, (_, index) =>
        rolloutLimit(() =>
          deps.rollout({
            seed,
            groupId: `iter${iteration}-seed${seed}`,
            index,
            policyVersion: version,
            signal,
          }),
        ),
      ),
    );
    const trajectories = await Promise.all(jobs);
    return { iteration, trajectories, generationS: (performance.now() - started) / 1000 };
  }

  async function judgeOne(
    trajectory: Trajectory,
  ): Promise<{ verdict: Verdict | null; latencyMs: number | null; why: string }> {
    if (trajectory.error || options.rewards.kind === 'env')
      return { verdict: null, latencyMs: null, why: 'not judged' };
    if (!sampled(trajectory.id, options.sampleRate))
      return { verdict: null, latencyMs: null, why: `sample_rate ${options.sampleRate}` };
    return judgeLimit(async () => {
      const started = performance.now();
      if (options.judgeInfo) options.log(formatRubricCall(options.judgeInfo));
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const timeout =
        options.judgeTimeoutS === null
          ? null
          : new Promise<Verdict>((resolve) => {
              timer = setTimeout(() => {
                controller.abort();
                resolve({
                  status: 'abstain',
                  reason: `judge timed out after ${options.judgeTimeoutS}s`,
                  metadata: {},
                });
              }, options.judgeTimeoutS! * 1000);
            });
      try {
        const verdict = await (timeout
          ? Promise.race([deps.judge(trajectory, controller.signal), timeout])
          : deps.judge(trajectory, controller.signal));
        return { verdict, latencyMs: performance.now() - started, why: '' };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          verdict: { status: 'error', reason, metadata: {} } as Verdict,
          latencyMs: performance.now() - started,
          why: '',
        };
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      }
    });
  }

  function combine(trajectory: Trajectory, verdict: Verdict | null, why: string): CombinedReward {
    if (trajectory.error) {
      return {
        env: Number.NaN,
        event: null,
        outcome: null,
        judge: null,
        combined: null,
        status: 'invalid',
        reason: trajectory.error,
      };
    }
    const judgeSignal = signalOf(verdict, why);
    if (options.rewards.kind === 'blend')
      return blendRubricRewards(trajectory.envReturn, judgeSignal, options.rewards.weights);
    if (options.rewards.kind === 'judge')
      return combineRewards(trajectory.envReturn, judgeSignal, options.rewards.settings);
    return combineRewards(trajectory.envReturn, { status: 'sampled_out', reason: 'judging off' });
  }

  async function judgeBatch(generated: Generated): Promise<Judged> {
    const started = performance.now();
    const scored = await Promise.all(
      generated.trajectories.map(async (trajectory): Promise<ScoredTrajectory> => {
        const { verdict, latencyMs, why } = await judgeOne(trajectory);
        const reward = combine(trajectory, verdict, why);
        if (verdict?.status === 'ok' || options.judgeInfo) {
          options.log(formatRubricScore(reward));
        }
        return { trajectory, verdict, reward, advantage: null, judgeLatencyMs: latencyMs };
      }),
    );
    const groups = new Map<string, ScoredTrajectory[]>();
    for (const item of scored) {
      const group = groups.get(item.trajectory.groupId) ?? [];
      group.push(item);
      groups.set(item.trajectory.groupId, group);
    }
    for (const group of groups.values()) {
      const advantages = groupAdvantages(group.map((g) => g.reward.combined));
      group.forEach((g, i) => {
        g.advantage = advantages[i] ?? null;
      });
    }
    return { ...generated, scored, judgingS: (performance.now() - started) / 1000 };
  }

  async function train(judged: Judged, cycleStarted: number): Promise<void> {
    const trainStarted = performance.now();
    const result = await deps.update(judged.scored, judged.iteration);
    policyVersion = result.policyVersion;
    const trainS = (performance.now() - trainStarted) / 1000;
    let evalReturn: number | null = null;
    const evaluation = options.evaluation;
    if (evaluation && deps.evaluate && (judged.iteration + 1) % evaluation.everyNIters === 0) {
      evalReturn = (await deps.evaluate(evaluation.seeds, judged.iteration)).meanReturn;
    }
    const checkpoint = deps.checkpoint ? await deps.checkpoint(judged.iteration) : null;
    const metrics = summarizeIteration({
      iteration: judged.iteration,
      scored: judged.scored,
      generationS: judged.generationS,
      judgingS: judged.judgingS,
      trainS,
      iterationS: (performance.now() - cycleStarted) / 1000,
      evalMeanReturn: evalReturn,
      trainerMetrics: result.metrics,
      checkpoint,
    });
    options.log(formatIterLine(metrics));
    history.push(metrics);
    await options.onIteration?.(metrics);
  }

  const first = options.startIteration ?? 0;
  const last = options.iterations;
  if (first >= last) return history;

  if (!options.asyncPipeline) {
    for (let iteration = first; iteration < last && !signal.aborted; iteration++) {
      const started = performance.now();
      await train(await judgeBatch(await generate(iteration)), started);
    }
    return history;
  }

  // Async: judging of batch k runs while batch k+1 is generated; batch k trains once both are done.
  let cycleStarted = performance.now();
  let pending = judgeBatch(await generate(first));
  for (let iteration = first + 1; iteration < last && !signal.aborted; iteration++) {
    const [next, judged] = await Promise.all([generate(iteration), pending]);
    await train(judged, cycleStarted);
    cycleStarted = performance.now();
    pending = judgeBatch(next);
  }
  await train(await pending, cycleStarted);
  return history;
}
