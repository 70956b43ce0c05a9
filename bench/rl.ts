/**
 * Evidence for issue 8, on Crafter with the local trainer, printed (not a timed test):
 * (1) SFT on a judge-filtered dataset vs SFT on the unfiltered dataset of the same rollouts, compared by mean
 *     achievements on held-out seeds;
 * (2) RL with judge rewards vs its starting policy, compared by mean return on held-out seeds;
 * (3) with judging as slow as generation, an async iteration vs max(generation, judging), and sync vs their sum.
 *
 * npx tsx bench/rl.ts [--episodes 24] [--iterations 12] [--json]
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getTaskApp } from '../src/apps/registry.ts';
import { runEval } from '../src/eval/run-eval.ts';
import { runFilter } from '../src/filter/run-filter.ts';
import { CRAFTER_JUDGE_RUBRIC, CRAFTER_VERIFIER } from '../src/judge/crafter-rubric.ts';
import { createProgrammaticJudge } from '../src/judge/programmatic-judge.ts';
import { runRlLoop } from '../src/rl/loop.ts';
import { openTraceStore } from '../src/tracing/open-store.ts';
import { evaluateLocalModel } from '../src/train/local/evaluate-local.ts';
import { createLocalRlRuntime } from '../src/train/local/local-rl.ts';
import { trainSft } from '../src/train/local/sft.ts';
import { actionSpaceOfApp, readSftDataset } from '../src/train/run-train.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const json = args.includes('--json');
const episodes = flag('episodes', 24);
const iterations = flag('iterations', 12);
const MAX_TURNS = 40;
const heldOut = Array.from({ length: 12 }, (_, i) => 500 + i);
const dir = mkdtempSync(join(tmpdir(), 'synth-bench-rl-'));
const app = getTaskApp('crafter');
const space = await actionSpaceOfApp(app);
const judge = { judge: createProgrammaticJudge(CRAFTER_VERIFIER), rubric: CRAFTER_JUDGE_RUBRIC };

// (1) One pool of rollouts of mixed quality: half scripted, half random, all judged by the Crafter rubric.
const db = join(dir, 'traces.db');
const store = await openTraceStore(db, { env: {} });
const seeds = Array.from({ length: episodes / 2 }, (_, i) => i);
for (const policy of ['scripted', 'random']) {
  await runEval({
    appId: 'grpo-crafter',
    seeds,
    policy: { policy },
    envConfig: { max_turns: MAX_TURNS },
    concurrency: 4,
    traceStore: store,
    judge: { enabled: true, provider: 'programmatic', rubric_id: 'crafter/bundle@v1', name: 'verifier' },
  });
}
await store?.close();
mkdirSync(join(dir, 'ft'), { recursive: true });
const common = {
  db,
  mode: 'turn',
  format: 'sft',
  keepDuplicates: true,
  minGap: 0.1,
  dpoScore: 'primary',
  dpoGroup: 'seed',
} as const;
const all = await runFilter({ ...common, output: join(dir, 'ft/all.jsonl'), criteria: {} });
const judged = await runFilter({
  ...common,
  output: join(dir, 'ft/judged.jsonl'),
  criteria: { minJudgeScores: { primary: 0.5 } },
});
const trainOn = async (path: string) =>
  trainSft(await readSftDataset(path), { space, epochs: 6, dims: 4096, seed: 1 }).model;
const unfilteredModel = await trainOn(join(dir, 'ft/all.jsonl'));
const filteredModel = await trainOn(join(dir, 'ft/judged.jsonl'));
const evaluate = (model: typeof filteredModel) =>
  evaluateLocalModel({ app, model, seeds: heldOut, maxTurns: MAX_TURNS, temperature: 0 });
const unfilteredEval = await evaluate(unfilteredModel);
const filteredEval = await evaluate(filteredModel);

// (2) RL with judge rewards, starting from the filtered SFT policy.
const start = filteredModel.clone();
const runtime = await createLocalRlRuntime({
  app,
  model: filteredModel.clone(),
  space,
  judge,
  maxTurns: MAX_TURNS,
  learningRate: flag('lr', 0.2),
  variety: 'gspo',
  temperature: 1,
});
const rlMetrics = await runRlLoop(runtime.deps, {
  iterations,
  seedsFor: (i) => Array.from({ length: 4 }, (_, k) => 2000 + i * 4 + k),
  groupSize: 4,
  maxConcurrentRollouts: 8,
  rewards: {
    kind: 'judge',
    settings: { combineMode: 'weighted_sum', outcomeWeight: 1, eventWeight: 0, judgeScale: 2 },
  },
  sampleRate: 1,
  judgeTimeoutS: null,
  asyncPipeline: true,
  judgeConcurrency: 16,
  judgeInfo: null,
  log: () => {},
});
const rlModel = runtime.model.clone();
await runtime.close();
// RL optimises the sampling policy, so that is what is compared: 4 sampled episodes per held-out seed.
const evaluateSampled = (model: typeof filteredModel) =>
  evaluateLocalModel({ app, model, seeds: heldOut, maxTurns: MAX_TURNS, temperature: 1, samples: 4 });
const beforeRl = await evaluateSampled(start);
const afterRl = await evaluateSampled(rlModel);

// (3) Async vs sync with judging as slow as generation: measure a generation, then make each judgment that slow.
async function timing(asyncPipeline: boolean, judgeDelayMs: number) {
  const rt = await createLocalRlRuntime({
    app,
    model: start.clone(),
    space,
    judge,
    maxTurns: MAX_TURNS,
    learningRate: 0.5,
    variety: 'gspo',
  });
  const slowJudge = {
    ...rt.deps,
    judge: async (...a: Parameters<typeof rt.deps.judge>) => {
      await sleep(judgeDelayMs);
      return rt.deps.judge(...a);
    },
  };
  const metrics = await runRlLoop(slowJudge, {
    iterations: 5,
    seedsFor: (i) => Array.from({ length: 4 }, (_, k) => 3000 + i * 4 + k),
    groupSize: 4,
    maxConcurrentRollouts: 16,
    rewards: {
      kind: 'judge',
      settings: { combineMode: 'weighted_sum', outcomeWeight: 1, eventWeight: 0, judgeScale: 2 },
    },
    sampleRate: 1,
    judgeTimeoutS: null,
    asyncPipeline,
    judgeConcurrency: 16,
    judgeInfo: null,
    log: () => {},
  });
  await rt.close();
  // The first async iteration also fills the pipeline; steady state is what the claim is about.
  const steady = metrics.slice(1, -1);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    iteration_s: mean(steady.map((m) => m.iteration_s)),
    generation_s: mean(steady.map((m) => m.generation_s)),
    judging_s: mean(steady.map((m) => m.judging_s)),
    train_s: mean(steady.map((m) => m.train_s)),
  };
}
const probe = await timing(false, 0);
const judgeDelayMs = Math.round(probe.generation_s * 1000);
const sync = await timing(false, judgeDelayMs);
const asyncRun = await timing(true, judgeDelayMs);

const result = {
  episodes,
  sft: {
    unfiltered_examples: all.counts.examplesWritten,
    filtered_examples: judged.counts.examplesWritten,
    unfiltered_mean_achievements: unfilteredEval.meanAchievements,
    filtered_mean_achievements: filteredEval.meanAchievements,
    unfiltered_mean_return: unfilteredEval.meanReturn,
    filtered_mean_return: filteredEval.meanReturn,
  },
  rl: {
    iterations,
    start_mean_return: beforeRl.meanReturn,
    end_mean_return: afterRl.meanReturn,
    start_mean_achievements: beforeRl.meanAchievements,
    end_mean_achievements: afterRl.meanAchievements,
    train_mean_return_first: rlMetrics[0]?.mean_return ?? null,
    train_mean_return_last: rlMetrics.at(-1)?.mean_return ?? null,
  },
  pipeline: {
    judge_delay_ms: judgeDelayMs,
    sync_iteration_s: sync.iteration_s,
    sync_generation_s: sync.generation_s,
    sync_judging_s: sync.judging_s,
    async_iteration_s: asyncRun.iteration_s,
    async_generation_s: asyncRun.generation_s,
    async_judging_s: asyncRun.judging_s,
    async_train_s: asyncRun.train_s,
    async_vs_max: asyncRun.iteration_s / Math.max(asyncRun.generation_s, asyncRun.judging_s),
    sync_vs_sum: sync.iteration_s / (sync.generation_s + sync.judging_s),
  },
};
const f = (x: number) => x.toFixed(3);
console.log(
  `(1) SFT, ${episodes} rollouts (half scripted, half random), held-out seeds ${heldOut[0]}-${heldOut.at(-1)}:`,
);
console.log(
  `    unfiltered (${result.sft.unfiltered_examples} examples): ${f(unfilteredEval.meanAchievements)} achievements, return ${f(unfilteredEval.meanReturn)}`,
);
console.log(
  `    judge-filtered primary >= 0.5 (${result.sft.filtered_examples} examples): ${f(filteredEval.meanAchievements)} achievements, return ${f(filteredEval.meanReturn)}`,
);
console.log(
  `(2) RL with judge rewards, ${iterations} iterations from the filtered SFT policy: held-out return ${f(beforeRl.meanReturn)} -> ${f(afterRl.meanReturn)}, achievements ${f(beforeRl.meanAchievements)} -> ${f(afterRl.meanAchievements)}`,
);
console.log(`(3) judging as slow as generation (${judgeDelayMs} ms per judgment):`);
console.log(
  `    sync  iteration ${f(sync.iteration_s)} s = ${f(result.pipeline.sync_vs_sum)}x (generation ${f(sync.generation_s)} + judging ${f(sync.judging_s)})`,
);
console.log(
  `    async iteration ${f(asyncRun.iteration_s)} s = ${f(result.pipeline.async_vs_max)}x max(generation ${f(asyncRun.generation_s)}, judging ${f(asyncRun.judging_s)}) (target <= 1.15)`,
);
if (json) console.log(JSON.stringify(result));
