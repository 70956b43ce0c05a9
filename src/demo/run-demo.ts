/**
 * The whole loop offline, on embedded defaults: Crafter played by the scripted policy, traced into the
 * SQLite store, graded by Crafter's programmatic rubric (and an LLM judge when a key is set), filtered
 * into an SFT dataset with its manifest, and a local SFT run evaluated on held-out seeds.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderSummary } from '../eval/report-summary.ts';
import { renderResultsTable } from '../eval/report-table.ts';
import { runEval } from '../eval/run-eval.ts';
import { runFilter } from '../filter/run-filter.ts';
import { gradeDb } from '../judge/grade-db.ts';
import { parseJudgeSection } from '../judge/judge-config.ts';
import { openTraceStore } from '../tracing/open-store.ts';
import { runLocalSft } from '../train/run-train.ts';

export interface DemoOptions {
  /** Where traces/, ft_data/ and synth-ai-out/ go. @default process.cwd() */
  cwd?: string;
  seeds?: number[];
  evalSeeds?: number[];
  maxTurns?: number;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface DemoResult {
  db: string;
  dataset: string;
  manifest: string;
  checkpoint: string;
  rollouts: number;
  examples: number;
  /** Mean episode return of the SFT policy on the held-out seeds. */
  sftMeanReturn: number | null;
  sftMeanAchievements: number | null;
  /** Mean episode return of the scripted policy that made the data. */
  scriptedMeanReturn: number;
}

const DB = 'traces/v3/synth_ai.db';
const DATASET = 'ft_data/crafter_demo_sft.jsonl';

/** Runs the demo and says plainly what it did and where everything went. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const env = options.env ?? process.env;
  const seeds = options.seeds ?? [0, 1, 2, 3, 4, 5, 6, 7];
  const maxTurns = options.maxTurns ?? 40;
  const db = join(cwd, DB);
  const startedAt = new Date().toISOString();

  log(
    `1/4 eval: Crafter (grpo-crafter), scripted policy, seeds ${seeds[0]}-${seeds.at(-1)}, ${maxTurns} turns each`,
  );
  const store = await openTraceStore(db, { env: {} });
  let run: Awaited<ReturnType<typeof runEval>>;
  try {
    run = await runEval(
      {
        appId: 'grpo-crafter',
        seeds,
        policy: { policy: 'scripted' },
        envConfig: { max_turns: maxTurns },
        concurrency: 4,
        traceStore: store,
        judge: { enabled: true, provider: 'programmatic', rubric_id: 'crafter/bundle@v1', name: 'verifier' },
      },
      { signal: options.signal, onLog: (line) => log(`    ${line}`) },
    );
  } finally {
    await store?.close();
  }
  log(renderSummary(run).join('\n'));
  log(renderResultsTable(run.results));
  const ok = run.results.filter((r) => r.status === 'ok');
  if (ok.length === 0) throw new Error('no rollout finished: see the errors in the table above');

  log('2/4 judge: traces graded by the Crafter rubric (programmatic) as each rollout finished');
  if (env.OPENAI_API_KEY) {
    const llm = await gradeDb({
      db,
      settings: parseJudgeSection({ provider: 'openai', model: 'gpt-4o-mini', name: 'llm' }),
      rubric: 'crafter/bundle@v1',
      primary: false,
      onlyMissing: true,
      env,
    });
    log(
      `    LLM judge gpt-4o-mini: ${llm.ok} ok, ${llm.error} error, ${llm.abstain} abstained, $${llm.costUsd.toFixed(4)}`,
    );
  } else {
    log('    (set OPENAI_API_KEY to add an LLM judge beside it)');
  }

  const threshold = 0.3;
  log(
    `3/4 filter: this run's sessions with judge primary >= ${threshold} and official score >= 1, one example per turn`,
  );
  mkdirSync(dirname(join(cwd, DATASET)), { recursive: true });
  const filtered = await runFilter({
    db,
    output: join(cwd, DATASET),
    criteria: { minJudgeScores: { primary: threshold }, minOfficialScore: 1, minCreatedAt: startedAt },
    mode: 'turn',
    format: 'sft',
    keepDuplicates: false,
    minGap: 0.1,
    dpoScore: 'primary',
    dpoGroup: 'seed',
  });
  log(
    `    Wrote ${filtered.counts.examplesWritten} examples -> ${DATASET} (manifest ${filtered.manifestPath.slice(cwd.length + 1)})`,
  );

  const evalSeeds = options.evalSeeds ?? [100, 101, 102, 103, 104];
  log(
    `4/4 train: local SFT of a softmax policy on the dataset, evaluated greedily on held-out seeds ${evalSeeds.join(', ')}`,
  );
  const outDir = join(cwd, 'synth-ai-out/demo');
  const sft = await runLocalSft({
    appId: 'crafter',
    datasetPath: join(cwd, DATASET),
    outDir,
    evalSeeds,
    maxTurns,
    log: (line) => log(`    ${line}`),
  });
  const scripted = ok.reduce((sum, r) => sum + (r.score ?? 0), 0) / ok.length;
  const result: DemoResult = {
    db: DB,
    dataset: DATASET,
    manifest: filtered.manifestPath,
    checkpoint: sft.checkpointPath,
    rollouts: run.results.length,
    examples: filtered.counts.examplesWritten,
    sftMeanReturn: sft.evaluation?.meanReturn ?? null,
    sftMeanAchievements: sft.evaluation?.meanAchievements ?? null,
    scriptedMeanReturn: scripted,
  };
  log('');
  log('Where everything went:');
  log(
    `  traces    ${DB} (sqlite3 ${DB} "SELECT session_id, json_extract(judge_metadata, '$.primary'), total_reward FROM session_traces")`,
  );
  log(`  dataset   ${DATASET} and its manifest`);
  log(`  policy    ${sft.checkpointPath.slice(cwd.length + 1)}`);
  log(
    `  returns   scripted policy (made the data) ${scripted.toFixed(2)}; SFT policy on held-out seeds ${(result.sftMeanReturn ?? 0).toFixed(2)} (${(result.sftMeanAchievements ?? 0).toFixed(2)} achievements per episode)`,
  );
  return result;
}
