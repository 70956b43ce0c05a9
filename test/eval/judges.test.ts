import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LoadedConfig, parseConfigText } from '../../src/config/load-config.ts';
import { resolveEvalSettings } from '../../src/eval/resolve-settings.ts';
import { createRubricVerifier } from '../../src/eval/rubric-verifier.ts';
import { runEval } from '../../src/eval/run-eval.ts';
import type { EvalJudge } from '../../src/eval/types.ts';
import { inSample } from '../../src/judge/sampling.ts';
import { type MockProvider, startMockProvider } from '../../src/testing/index.ts';
import { userText, verdictReply } from '../judge/support/judge-mock.ts';
import { runCli } from '../support/cli.ts';
import { CLEAN, sessions } from './cli-env.ts';
import { type StubTaskApp, startStubTaskApp } from './stub-task-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'synth-eval-judges-'));
/** The mock LLM's score per judge model, from the seed in the rendered episode: each judge grades differently. */
const SCORES: Record<string, (seed: number) => number> = {
  'judge-a': (seed) => seed / 5,
  'judge-b': (seed) => (5 - seed) / 10,
  'judge-off': () => 0.5,
};

function configOf(text: string): LoadedConfig {
  return {
    ...parseConfigText(text, 'judges.toml'),
    path: 'judges.toml',
    displayPath: 'judges.toml',
    env: {},
  };
}

/** The "verifier" cell of seed `seed`'s row in the plain per-seed table. */
function verifierCell(stdout: string, seed: number): string | undefined {
  const row = stdout.split('\n').find((line) => line.startsWith(`${seed} `));
  return row?.split('|')[6]?.trim();
}

describe('eval with several judges', () => {
  let stub: StubTaskApp;
  let llm: MockProvider;
  before(async () => {
    stub = await startStubTaskApp((seed) => ({ kind: 'ok', meanReturn: seed, outcome: seed / 10 }));
    llm = await startMockProvider({
      handler: (req) => {
        const seed = Number(/\nseed: (\d+)\n/.exec(userText(req))?.[1]);
        return verdictReply(req, SCORES[String(req.body?.model)]?.(seed) ?? 0);
      },
    });
  });
  after(async () => {
    await stub.close();
    await llm.close();
  });
  const env = () => ({ ...CLEAN, ENVIRONMENT_API_KEY: stub.apiKey });
  const llmJudge = (model: string) =>
    `provider = "openai-compatible"\nbase_url = "${llm.openaiBaseURL}"\nmodel = "${model}"\nrubric_id = "crafter/bundle@v1"\n`;

  it('runs every enabled judge on each rollout: each under its name in judge_metadata, each mean printed', async () => {
    llm.reset();
    const cwd = mkdtempSync(join(dir, 'three-'));
    const db = join(cwd, 'three.db');
    const config = join(cwd, 'three.toml');
    writeFileSync(
      config,
      [
        `[eval]\napp_id = "stub"\nurl = "${stub.url}"\nseeds = [1, 3, 4]\ntrace_db = "${db}"\n`,
        '[eval.judge]\nenabled = true\n',
        `[eval.judge.quality]\n${llmJudge('judge-a')}`,
        `[[eval.judges]]\nname = "harsh"\n${llmJudge('judge-b')}`,
        `[[eval.judges]]\nname = "off"\nenabled = false\n${llmJudge('judge-off')}`,
      ].join('\n'),
    );
    const r = await runCli(['eval', '--config', config], { cwd, env: env() });
    assert.equal(r.code, 0, r.stderr);
    // The unnamed [eval.judge] keeps its kind's name and stays primary.
    assert.match(r.stdout, /^\[judge rubric\] mean: 0\.267\n {4}Pearson r: 1\.00 \(n=3\)$/m);
    assert.match(r.stdout, /^\[judge quality\] mean: 0\.533\n {4}Pearson r: 1\.00 \(n=3\)$/m);
    assert.match(r.stdout, /^\[judge harsh\] mean: 0\.233\n {4}Pearson r: -1\.00 \(n=3\)$/m);
    assert.doesNotMatch(r.stdout, /\[judge off\]/);
    assert.equal(verifierCell(r.stdout, 3), '0.3');

    const stored = await sessions(db);
    assert.equal(stored.length, 3);
    const score = (meta: Record<string, unknown>, name: string) =>
      (meta[name] as { primary: number }).primary;
    for (const s of stored) {
      const meta = s.judge_metadata;
      assert.ok(meta, `${s.session_id} has no judge_metadata`);
      const seed = Number(s.metadata.seed);
      assert.equal(meta.judge, 'rubric');
      assert.ok(Math.abs((meta.primary as number) - seed / 10) < 1e-9, `primary of seed ${seed}`);
      assert.ok(Math.abs(score(meta, 'rubric') - seed / 10) < 1e-9, `rubric of seed ${seed}`);
      assert.ok(Math.abs(score(meta, 'quality') - seed / 5) < 1e-9, `quality of seed ${seed}`);
      assert.ok(Math.abs(score(meta, 'harsh') - (5 - seed) / 10) < 1e-9, `harsh of seed ${seed}`);
      assert.equal(meta.off, undefined);
      assert.equal(meta.errors, undefined);
    }
    assert.deepEqual(stored.map((s) => Number(s.metadata.seed)).sort(), [1, 3, 4]);
    const models = llm.requests.map((q) => q.body?.model).sort();
    assert.deepEqual(models, ['judge-a', 'judge-a', 'judge-a', 'judge-b', 'judge-b', 'judge-b']);
  });

  it("applies a judge's temperature, max_tokens, sample_rate (the same seeds each run) and concurrency", async () => {
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const graded = seeds.filter((seed) => inSample(`seed:${seed}`, 0.5));
    assert.ok(
      graded.length > 0 && graded.length < seeds.length,
      'the sample keeps some seeds and drops some',
    );
    let inFlight = 0;
    let most = 0;
    llm.reset();
    llm.setHandler(async (req) => {
      most = Math.max(most, ++inFlight);
      await sleep(20);
      inFlight--;
      const seed = Number(/\nseed: (\d+)\n/.exec(userText(req))?.[1]);
      return verdictReply(req, seed / 10);
    });
    try {
      const cwd = mkdtempSync(join(dir, 'limits-'));
      const config = join(cwd, 'limits.toml');
      writeFileSync(
        config,
        `[eval]\napp_id = "stub"\nurl = "${stub.url}"\nseeds = [${seeds}]\nconcurrency = 8\ntrace_db = "none"\n\n` +
          `[eval.judge]\n${llmJudge('judge-a')}temperature = 0.3\nmax_tokens = 77\nsample_rate = 0.5\nconcurrency = 1\n`,
      );
      const judgedSeeds = async () => {
        const r = await runCli(['eval', '--config', config, '--output-json', join(cwd, 'out.json')], {
          cwd,
          env: env(),
        });
        assert.equal(r.code, 0, r.stderr);
        const report = JSON.parse(readFileSync(join(cwd, 'out.json'), 'utf8')) as {
          results: {
            seed: number;
            judge_scores: Record<string, number | null>;
            judge_errors: Record<string, { status: string; reason: string }>;
          }[];
        };
        for (const row of report.results) {
          if (graded.includes(row.seed))
            assert.ok(Math.abs(Number(row.judge_scores.llm) - row.seed / 10) < 1e-9, `seed ${row.seed}`);
          else
            assert.deepEqual(row.judge_errors.llm, {
              status: 'abstain',
              reason: 'sampled out (sample rate 0.5)',
            });
        }
        return report.results
          .filter((row) => typeof row.judge_scores.llm === 'number')
          .map((row) => row.seed);
      };
      assert.deepEqual(await judgedSeeds(), graded);
      assert.deepEqual(await judgedSeeds(), graded, 'a rerun grades the same seeds');
      assert.equal(llm.requests.length, graded.length * 2);
      for (const q of llm.requests) {
        assert.equal(q.body?.temperature, 0.3);
        assert.equal(q.body?.max_tokens, 77);
      }
      assert.equal(most, 1, 'concurrency = 1: one judge call at a time, though 8 rollouts ran at once');
    } finally {
      llm.setHandler((req) => {
        const seed = Number(/\nseed: (\d+)\n/.exec(userText(req))?.[1]);
        return verdictReply(req, SCORES[String(req.body?.model)]?.(seed) ?? 0);
      });
    }
  });

  it('--judge with no judge configured still grades with the default judge; without it nothing is judged', async () => {
    // An empty folder: no config file to discover.
    const cwd = mkdtempSync(join(dir, 'flag-'));
    const base = ['eval', 'stub', '--url', stub.url, '--seeds', '4', '--trace-db', 'none'];
    const judged = await runCli([...base, '--judge'], { cwd, env: env() });
    assert.equal(judged.code, 0, judged.stderr);
    assert.match(judged.stdout, /^\[judge rubric\] mean: 0\.4$/m);
    assert.equal(verifierCell(judged.stdout, 4), '0.4');
    const plain = await runCli(base, { cwd, env: env() });
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /\[judge /);
    assert.equal(verifierCell(plain.stdout, 4), '-');
  });

  it('refuses two judges that end up with one name, in one line, exit 2', async () => {
    const cwd = mkdtempSync(join(dir, 'clash-'));
    const config = join(cwd, 'clash.toml');
    // The unnamed main judge is named after its kind ("rubric"), as is this named one.
    writeFileSync(
      config,
      `[eval]\napp_id = "stub"\nurl = "${stub.url}"\nseeds = [1]\ntrace_db = "none"\n\n[eval.judge]\nenabled = true\n\n[eval.judge.rubric]\nenabled = true\n`,
    );
    const r = await runCli(['eval', '--config', config], { cwd, env: env() });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error: two judges are named "rubric"; their scores would overwrite each other \(give/m,
    );
    assert.equal(r.stderr.match(/^error:/gm)?.length, 1);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('runEval takes one settings object, as before', async () => {
    const run = await runEval({
      appId: 'stub',
      url: stub.url,
      taskAppApiKey: stub.apiKey,
      seeds: [3],
      judge: { enabled: true },
    });
    assert.deepEqual(Object.keys(run.results[0]?.verdicts ?? {}), ['rubric']);
    assert.equal(run.results[0]?.verifierScore, 0.3);
  });

  it('runEval takes a list of settings and ready judges, skips disabled ones and grades a rollout with all at once', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (name: string): EvalJudge => ({
      name,
      async grade() {
        most = Math.max(most, ++inFlight);
        await sleep(50);
        inFlight--;
        return {
          status: 'ok',
          scores: { primary: 0.9, event: null, outcome: 0.9, criteria: {} },
          reasoning: 'slow',
          metadata: {},
        };
      },
    });
    const run = await runEval({
      appId: 'stub',
      url: stub.url,
      taskAppApiKey: stub.apiKey,
      seeds: [3],
      judge: [
        { enabled: true, name: 'first' },
        slow('second'),
        { enabled: false, name: 'skipped' },
        slow('third'),
      ],
    });
    const row = run.results[0];
    assert.deepEqual(Object.keys(row?.verdicts ?? {}), ['first', 'second', 'third']);
    assert.equal(row?.verifierScore, 0.3);
    assert.equal(most, 2);
    assert.deepEqual(Object.keys(run.summary.judgeMeans), ['first', 'second', 'third']);
    assert.equal(run.summary.judgeMeans.third, 0.9);
  });

  it('runEval refuses a ready judge named after a judge_metadata key', async () => {
    await assert.rejects(
      runEval({
        appId: 'stub',
        url: stub.url,
        taskAppApiKey: stub.apiKey,
        seeds: [3],
        judge: [createRubricVerifier('outcome')],
      }),
      /judge name "outcome" is one of judge_metadata's own keys/,
    );
  });
});

describe('resolveEvalSettings: the judges of [eval]', () => {
  const head = '[eval]\napp_id = "stub"\n';

  it('lists every enabled judge in config order; the unnamed main judge gets its default name', () => {
    const s = resolveEvalSettings(
      {},
      configOf(
        `${head}[eval.judge]\nmodel = "m0"\n[eval.judge.b]\nmodel = "m1"\n[eval.judge.c]\nenabled = false\n[[eval.judges]]\nname = "d"\nprovider = "programmatic"\n`,
      ),
      {},
    );
    assert.deepEqual(
      s.judge?.map((j) => [j.name, j.model ?? j.provider]),
      [
        [undefined, 'm0'],
        ['b', 'm1'],
        ['d', 'programmatic'],
      ],
    );
  });

  it('--judge turns the first judge on even when it says enabled = false, as it did with one judge', () => {
    const config = configOf(
      `${head}[eval.judge]\nenabled = false\nmodel = "m0"\n[eval.judge.b]\nenabled = false\n`,
    );
    assert.equal(resolveEvalSettings({}, config, {}).judge, null);
    assert.deepEqual(
      resolveEvalSettings({ judge: true }, config, {}).judge?.map((j) => j.model),
      ['m0'],
    );
  });

  it('--judge with no judge written is the default judge; no flag and no judge is no judging', () => {
    assert.deepEqual(resolveEvalSettings({ judge: true }, configOf(head), {}).judge, [{ enabled: true }]);
    assert.equal(resolveEvalSettings({}, configOf(head), {}).judge, null);
  });
});
