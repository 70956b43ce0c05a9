import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Verdict } from '../../src/judge/verdict.ts';
import { type RlLoopOptions, runRlLoop, type ScoredTrajectory, type Trajectory } from '../../src/rl/loop.ts';

function okVerdict(score: number): Verdict {
  return {
    status: 'ok',
    scores: { primary: score, event: null, outcome: score, criteria: {} },
    reasoning: 'r',
    metadata: {},
  };
}

function baseOptions(log: string[], overrides: Partial<RlLoopOptions> = {}): RlLoopOptions {
  return {
    iterations: 3,
    seedsFor: (i) => [i * 10, i * 10 + 1],
    groupSize: 2,
    maxConcurrentRollouts: 4,
    rewards: {
      kind: 'judge',
      settings: { combineMode: 'weighted_sum', outcomeWeight: 1, eventWeight: 0, judgeScale: 10 },
    },
    sampleRate: 1,
    judgeTimeoutS: null,
    asyncPipeline: false,
    judgeConcurrency: 4,
    judgeInfo: { policy: 'crafter-react', provider: 'openai', model: 'gpt-4o-mini' },
    log: (line) => log.push(line),
    ...overrides,
  };
}

function fakeDeps(
  events: string[],
  options: { judgeDelayMs?: number; rolloutDelayMs?: number; failSeed?: number } = {},
) {
  const batches: ScoredTrajectory[][] = [];
  let version = 0;
  return {
    batches,
    deps: {
      async rollout({
        seed,
        groupId,
        index,
        policyVersion,
      }: {
        seed: number;
        groupId: string;
        index: number;
        policyVersion: number;
      }): Promise<Trajectory> {
        events.push(`gen:${groupId}:${index}`);
        await sleep(options.rolloutDelayMs ?? 0);
        return {
          id: `${groupId}-${index}`,
          seed,
          groupId,
          policyVersion,
          envReturn: index,
          messages: [],
          payload: null,
          ...(seed === options.failSeed ? { error: 'task app died' } : {}),
        };
      },
      async judge(trajectory: Trajectory): Promise<Verdict> {
        events.push(`judge-start:${trajectory.groupId}`);
        await sleep(options.judgeDelayMs ?? 0);
        events.push(`judge-end:${trajectory.groupId}`);
        return okVerdict(trajectory.envReturn === 0 ? 0.5 : 0.25);
      },
      async update(batch: ScoredTrajectory[]) {
        batches.push(batch);
        return { policyVersion: ++version, metrics: { loss: 1 } };
      },
    },
  };
}

describe('runRlLoop', () => {
  it('combines rewards, computes group advantages and logs in the seed forms', async () => {
    const log: string[] = [];
    const events: string[] = [];
    const { deps, batches } = fakeDeps(events);
    const metrics = await runRlLoop(deps, baseOptions(log));
    assert.equal(metrics.length, 3);
    assert.equal(batches.length, 3);
    const first = batches[0]!;
    // index 0: env 0 + 10 * 0.5 = 5; index 1: env 1 + 10 * 0.25 = 3.5
    const byIndex = first.filter((s) => s.trajectory.seed === 0).map((s) => s.reward.combined);
    assert.deepEqual(byIndex, [5, 3.5]);
    const advantages = first.filter((s) => s.trajectory.seed === 0).map((s) => s.advantage!);
    assert.ok(advantages[0]! > 0 && advantages[1]! < 0);
    assert.ok(log.includes('[RUBRIC_CALL] policy=crafter-react, provider=openai, model=gpt-4o-mini'));
    assert.ok(log.includes('[RUBRIC_SCORE] event=n/a, outcome=0.500, combined=5.000'));
    assert.ok(log.includes('[ITER 0] mean_return=4.250, env_return=0.500, judge_return=3.750'));
    assert.equal(metrics[0]!.mean_judge_score, 0.375);
  });

  it('async: generation of batch k+1 starts before judging of batch k ends', async () => {
    const events: string[] = [];
    const { deps, batches } = fakeDeps(events, { judgeDelayMs: 30 });
    await runRlLoop(deps, baseOptions([], { asyncPipeline: true }));
    assert.equal(batches.length, 3);
    const firstJudgeEnd = events.indexOf('judge-end:iter0-seed0');
    const secondGen = events.indexOf('gen:iter1-seed10:0');
    assert.ok(secondGen >= 0 && secondGen < firstJudgeEnd, events.join(' '));
    assert.deepEqual(
      batches.map((b) => b[0]!.trajectory.groupId),
      ['iter0-seed0', 'iter1-seed10', 'iter2-seed20'],
    );
  });

  it('sync: generation of batch k+1 waits for judging of batch k', async () => {
    const events: string[] = [];
    const { deps } = fakeDeps(events, { judgeDelayMs: 5 });
    await runRlLoop(deps, baseOptions([]));
    const lastJudgeEnd = events.lastIndexOf('judge-end:iter0-seed1');
    assert.ok(events.indexOf('gen:iter1-seed10:0') > lastJudgeEnd);
  });

  it('a timed-out judgment abstains and keeps the env reward; sampled-out ones are marked', async () => {
    const log: string[] = [];
    const { deps, batches } = fakeDeps([], { judgeDelayMs: 200 });
    await runRlLoop(deps, baseOptions(log, { iterations: 1, judgeTimeoutS: 0.02 }));
    for (const s of batches[0]!) {
      assert.equal(s.verdict?.status, 'abstain');
      assert.equal(s.reward.status, 'env_only');
      assert.equal(s.reward.combined, s.trajectory.envReturn);
    }
    const sampledRun = fakeDeps([]);
    await runRlLoop(sampledRun.deps, baseOptions([], { iterations: 1, sampleRate: 0 }));
    for (const s of sampledRun.batches[0]!) {
      assert.equal(s.verdict, null);
      assert.match(s.reward.reason ?? '', /sampled_out: sample_rate 0/);
    }
  });

  it('a failed rollout is invalid and gets no advantage', async () => {
    const { deps, batches } = fakeDeps([], { failSeed: 1 });
    const metrics = await runRlLoop(deps, baseOptions([], { iterations: 1 }));
    const failed = batches[0]!.filter((s) => s.trajectory.seed === 1);
    assert.ok(failed.every((s) => s.reward.status === 'invalid' && s.advantage === null));
    assert.equal(metrics[0]!.failed, 2);
  });
});
