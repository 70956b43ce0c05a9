import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  type FilterCriteria,
  type FilterOptions,
  formatFilterSummary,
  resolveFilterOptions,
  runFilter,
  validateJsonlFile,
} from '../../src/filter/index.ts';
import { runCli } from '../support/cli.ts';
import {
  crafterTurn,
  EVENT_TOOLS,
  type JsonLine,
  makeTrace,
  readLines,
  type SessionSpec,
  tempDir,
  withToolEvent,
  writeDb,
} from './fixtures.ts';

const IMAGE = { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };

const SESSIONS: SessionSpec[] = [
  {
    id: 'good',
    messages: [...crafterTurn(0, ['move_up']), ...crafterTurn(1, ['do'])],
    reward: 3,
    judge: { primary: 0.9, event: 0.7, outcome: 0.8, qa: { status: 'ok', primary: 0.95 } },
  },
  {
    id: 'low',
    messages: crafterTurn(0, ['noop']),
    reward: 0,
    judge: { primary: 0.3, event: 0.2, outcome: 0.1 },
  },
  { id: 'test-split', metadata: { task_split: 'test' }, messages: crafterTurn(0, ['left']), reward: 2 },
  { id: 'other-model', metadata: { model: 'qwen' }, messages: crafterTurn(0, ['right']), reward: 2 },
  { id: 'other-task', metadata: { task_id: 'other' }, messages: crafterTurn(0, ['up']), reward: 2 },
  { id: 'late', createdAt: '2025-12-01T00:00:00Z', messages: crafterTurn(0, ['sleep']), reward: 2 },
  { id: 'unjudged', messages: crafterTurn(0, ['place_table']), reward: 5, judge: null },
  {
    id: 'vision',
    messages: [
      { role: 'system', content: 'You see images.' },
      { role: 'user', content: [{ type: 'text', text: 'frame' }, IMAGE] },
      { role: 'assistant', content: 'move_left' },
    ],
    reward: 2,
  },
];

let dir: string;
let db: string;

before(async () => {
  dir = tempDir();
  db = await writeDb(SESSIONS, dir);
});

/** The library path the CLI calls (in-process: a child process costs seconds on a shared machine). */
async function filter(criteria: FilterCriteria = {}, extra: Partial<FilterOptions> = {}, from = db) {
  const output = join(tempDir(), 'out.jsonl');
  const result = await runFilter(resolveFilterOptions(undefined, { db: from, output, criteria, ...extra }));
  return { output, stdout: formatFilterSummary(result), lines: existsSync(output) ? readLines(output) : [] };
}

const ids = (lines: JsonLine[]) => [...new Set(lines.map((l) => l.metadata.session_id))].sort();

describe('synth-ai filter: criteria', () => {
  it('no criteria: every assistant turn, seed 002 metadata, summary line', async () => {
    const output = join(tempDir(), 'out.jsonl');
    const cli = await runCli(['filter', '--db', db, '--output', output]);
    assert.equal(cli.code, 0, cli.stderr);
    const r = { ...cli, output, lines: readLines(output) };
    assert.equal(r.lines.length, 9);
    assert.match(
      r.stdout,
      new RegExp(`Wrote 9 examples -> ${r.output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    const first = r.lines.find((l) => l.metadata.session_id === 'good');
    assert.deepEqual(Object.keys(first.metadata), [
      'session_id',
      'env_name',
      'policy_name',
      'seed',
      'total_reward',
      'achievements_count',
      'model',
      'created_at',
      'judge_scores',
    ]);
    assert.deepEqual(first.metadata.judge_scores, { primary: 0.9, event: 0.7, outcome: 0.8, qa: 0.95 });
    assert.equal(first.metadata.total_reward, 3);
  });
  const cases: [string, FilterCriteria, string[], RegExp][] = [
    [
      'min_judge_scores.primary',
      { minJudgeScores: { primary: 0.5 } },
      ['good', 'late', 'other-model', 'other-task', 'test-split', 'vision'],
      /min_judge_scores.primary dropped 2 sessions/,
    ],
    [
      'max_judge_scores.event',
      { maxJudgeScores: { event: 0.5 } },
      ['low'],
      /max_judge_scores.event dropped 7 sessions/,
    ],
    [
      'named judge (verdict object)',
      { minJudgeScores: { qa: 0.9 } },
      ['good'],
      /min_judge_scores.qa dropped 7 sessions/,
    ],
    [
      'min_official_score (unclamped)',
      { minOfficialScore: 3 },
      ['good', 'unjudged'],
      /min_official_score dropped 6 sessions/,
    ],
    ['max_official_score', { maxOfficialScore: 0 }, ['low'], /max_official_score dropped 7/],
    ['splits', { splits: ['test'] }, ['test-split'], /splits dropped 7/],
    ['task_ids', { taskIds: ['other'] }, ['other-task'], /task_ids dropped 7/],
    ['models', { models: ['qwen', 'nope'] }, ['other-model'], /models dropped 7/],
    ['min_created_at', { minCreatedAt: '2025-11-01T00:00:00.000Z' }, ['late'], /min_created_at dropped 7/],
    [
      'max_created_at',
      { maxCreatedAt: '2025-11-24T16:00:00.000Z' },
      ['good', 'low', 'other-model', 'other-task', 'test-split', 'unjudged', 'vision'],
      /max_created_at dropped 1 session/,
    ],
    ['require_images', { requireImages: true }, ['vision'], /require_images dropped 7/],
  ];
  for (const [name, criteria, expected, summary] of cases) {
    it(name, async () => {
      const r = await filter(criteria);
      assert.deepEqual(ids(r.lines), expected);
      assert.match(r.stdout, summary);
    });
  }
  it('--limit and --offset count examples; --shuffle with a seed repeats', async () => {
    const all = await filter();
    const page = await filter({ offset: 2, limit: 3 });
    assert.deepEqual(page.lines, all.lines.slice(2, 5));
    assert.match(page.stdout, /limit reached/);
    const a = await filter({ shuffle: true, shuffleSeed: 7 });
    const b = await filter({ shuffle: true, shuffleSeed: 7 });
    const c = await filter({ shuffle: true, shuffleSeed: 8 });
    assert.deepEqual(a.lines, b.lines);
    assert.equal(a.lines.length, 9);
    const order = (lines: JsonLine[]) => lines.map((l) => l.metadata.session_id).join(',');
    assert.notEqual(order(a.lines), order(c.lines));
    assert.notEqual(order(a.lines), order(all.lines));
    assert.deepEqual(ids(a.lines), ids(all.lines));
    const manifest = JSON.parse(readFileSync(`${a.output}.manifest.json`, 'utf8'));
    assert.equal(manifest.shuffle_seed, 7);
  });
  it('a config file gives every key; flags override it', async () => {
    const work = tempDir();
    const output = join(work, 'from-config.jsonl');
    const config = join(work, 'filter.toml');
    writeFileSync(
      config,
      `[filter]\ndb = "${db}"\noutput = "${output}"\nmin_judge_scores.primary = 0.5\nmin_official_score = 2\nsplits = ["train"]\ntask_ids = ["crafter_classic"]\nmodels = ["gpt-4o-mini"]\nmax_created_at = "2025-11-01T00:00:00"\nlimit = 100\noffset = 0\nshuffle = false\nrequire_images = false\nmax_judge_scores.primary = 1.0\n`,
    );
    const r = await runCli(['filter', '--config', config]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ids(readLines(output)), ['good', 'vision']);
    const flagged = await runCli(['filter', '--config', config, '--min-judge', 'primary=0.95']);
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.match(flagged.stdout, /Wrote 0 examples/);
  });
});

describe('synth-ai filter: output', () => {
  it('turn mode keeps tool calls with ids and JSON arguments; images stay image parts', async () => {
    const r = await filter();
    const good = r.lines.filter((l) => l.metadata.session_id === 'good');
    assert.equal(good.length, 2);
    assert.deepEqual(good[1].messages, [
      { role: 'system', content: 'You are playing Crafter. Use the interact_many tool.' },
      { role: 'user', content: '=== CRAFTER GAME STATE ===\nStep: 1/10000' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'interact_many', arguments: '{"actions":["do"]}' },
          },
        ],
      },
    ]);
    const vision = r.lines.find((l) => l.metadata.session_id === 'vision');
    assert.deepEqual(vision.messages[1].content[1], IMAGE);
  });
  it('tools definitions from the LM call request params travel with the examples', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'interact_many',
          parameters: { type: 'object', properties: { actions: { type: 'array' } } },
        },
      },
    ];
    const [system, user, assistant] = crafterTurn(0, ['do']);
    const withTools = await writeDb([
      {
        id: 't',
        messages: [
          system!,
          user!,
          { type: 'assistant', content: assistant!, metadata: { request_params: { tools } } },
        ],
      },
    ]);
    const r = await filter({}, {}, withTools);
    assert.deepEqual(r.lines[0].tools, tools);
    assert.equal((await validateJsonlFile(r.output)).badCount, 0);
  });
  it('tools from the LM call records of a session traced by the task app', async () => {
    const dir = tempDir();
    const path = join(dir, 'traces.db');
    const { openTraceStore } = await import('../../src/tracing/index.ts');
    const store = (await openTraceStore(path))!;
    await store.insertSession(
      withToolEvent(makeTrace({ id: 'with-events', messages: crafterTurn(0, ['do']) })),
    );
    await store.close();
    const r = await filter({}, {}, path);
    assert.deepEqual(r.lines[0].tools, EVENT_TOOLS);
  });
  it('conversation mode: one example per session, valid per the validator', async () => {
    const r = await filter({}, { mode: 'conversation' });
    assert.equal(r.lines.length, 8);
    const good = r.lines.find((l) => l.metadata.session_id === 'good');
    assert.deepEqual(
      good.messages.map((m: JsonLine) => m.role),
      ['system', 'user', 'assistant', 'tool', 'user', 'assistant'],
    );
    const check = await validateJsonlFile(r.output);
    assert.deepEqual([check.lines, check.badCount], [8, 0]);
  });
  it('manifest: criteria, counts, judge names, sha256 of the output', async () => {
    const r = await filter({ minJudgeScores: { primary: 0.5 } });
    const manifest = JSON.parse(readFileSync(`${r.output}.manifest.json`, 'utf8'));
    const sha = createHash('sha256').update(readFileSync(r.output)).digest('hex');
    assert.equal(manifest.output.sha256, sha);
    assert.equal(manifest.output.lines, r.lines.length);
    assert.deepEqual(manifest.criteria.minJudgeScores, { primary: 0.5 });
    assert.deepEqual(manifest.counts.dropped, [{ criterion: 'min_judge_scores.primary', sessions: 2 }]);
    assert.equal(manifest.counts.sessions.total, 8);
    assert.ok(manifest.judge_names.includes('qa'));
  });
});

describe('synth-ai filter: dedup, scrubbing, DPO', () => {
  let db2: string;
  before(async () => {
    db2 = await writeDb([
      { id: 'a', metadata: { seed: 1 }, messages: crafterTurn(0, ['do']), judge: { primary: 0.9 } },
      { id: 'b', metadata: { seed: 1 }, messages: crafterTurn(0, ['do']), judge: { primary: 0.5 } },
      { id: 'c', metadata: { seed: 1 }, messages: crafterTurn(0, ['noop']), judge: { primary: 0.1 } },
      { id: 'd', metadata: { seed: 2 }, messages: crafterTurn(0, ['left']), judge: { primary: 0.6 } },
      { id: 'e', metadata: { seed: 2 }, messages: crafterTurn(0, ['right']), judge: { primary: 0.55 } },
      {
        id: 'leaky',
        metadata: { seed: 3 },
        messages: [
          {
            role: 'user',
            content: 'my key is sk-proj-abcdefghijklmnopqrstuvwxyz0123 and Bearer abcdefghij0123456789',
          },
          { role: 'assistant', content: 'stored token=0123456789abcdef0123456789abcdef' },
        ],
      },
    ]);
  });
  it('exact duplicates are removed and counted; --keep-duplicates keeps them', async () => {
    const r = await filter({}, {}, db2);
    assert.equal(r.lines.length, 5);
    assert.match(r.stdout, /duplicates removed 1/);
    const kept = await filter({}, { keepDuplicates: true }, db2);
    assert.equal(kept.lines.length, 6);
  });
  it('secrets are scrubbed and counted', async () => {
    const r = await filter({}, {}, db2);
    const output = r.output;
    const text = readFileSync(output, 'utf8');
    assert.doesNotMatch(text, /sk-proj-abc|abcdefghij0123456789|0123456789abcdef0123/);
    const leaky = readLines(output).find((l) => l.metadata.session_id === 'leaky');
    assert.equal(leaky.messages[0].content, 'my key is [REDACTED] and Bearer [REDACTED]');
    assert.equal(leaky.messages[1].content, 'stored token=[REDACTED]');
    assert.match(r.stdout, /secrets scrubbed 3/);
    assert.equal(JSON.parse(readFileSync(`${output}.manifest.json`, 'utf8')).counts.scrubbed_secrets, 3);
  });
  it('--format dpo pairs best and worst of a seed with --min-gap', async () => {
    const r = await filter({}, { format: 'dpo', minGap: 0.3 }, db2);
    const pairs = r.lines;
    assert.equal(pairs.length, 1);
    assert.deepEqual(
      pairs[0].input.messages.map((m: JsonLine) => m.role),
      ['system', 'user'],
    );
    assert.equal(JSON.parse(pairs[0].preferred_output[0].tool_calls[0].function.arguments).actions[0], 'do');
    assert.equal(
      JSON.parse(pairs[0].non_preferred_output[0].tool_calls[0].function.arguments).actions[0],
      'noop',
    );
    assert.deepEqual(
      [pairs[0].metadata.preferred.session_id, pairs[0].metadata.non_preferred.session_id],
      ['a', 'c'],
    );
    assert.match(r.stdout, /score gap below min_gap: 1/);
    assert.equal((await validateJsonlFile(r.output)).badCount, 0);
  });
  it('--dpo-group prompt pairs rollouts that saw the same first prompt, across seeds', async () => {
    const output = join(tempDir(), 'dpo.jsonl');
    const result = await runFilter(
      resolveFilterOptions(undefined, {
        db: db2,
        output,
        criteria: {},
        format: 'dpo',
        dpoGroup: 'prompt',
        minGap: 0.3,
      }),
    );
    // a-e share the Crafter prompt (one group), leaky has its own: 2 groups, not 3 seeds.
    assert.equal(result.counts.dpo?.groups, 2);
    assert.deepEqual(
      readLines(output).map((l) => [l.metadata.preferred.session_id, l.metadata.non_preferred.session_id]),
      [['a', 'c']],
    );
  });
});

describe('synth-ai filter --validate', () => {
  it('names each bad line and exits 1', async () => {
    const file = join(tempDir(), 'bad.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          messages: [
            { role: 'user', content: 'x' },
            { role: 'assistant', content: 'y' },
          ],
        }),
        '{not json',
        JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
        JSON.stringify({
          messages: [
            { role: 'user', content: 'x' },
            {
              role: 'assistant',
              content: "[{'tool_name': 'do'}]",
              tool_calls: [{ id: 'a', type: 'function', function: { name: 'do', arguments: "{'x': 1}" } }],
            },
          ],
        }),
      ].join('\n'),
    );
    const r = await runCli(['filter', '--validate', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /bad\.jsonl:2: not valid JSON/);
    assert.match(r.stdout, /bad\.jsonl:3: messages need at least one assistant message/);
    assert.match(
      r.stdout,
      /bad\.jsonl:4: messages\[1\] tool_calls\[0\] function.arguments is not valid JSON/,
    );
    assert.doesNotMatch(r.stdout, /bad\.jsonl:1:/);
    assert.match(r.stdout, /3 of 4 lines invalid/);
  });
});

/** Flags → library call, for the flags these cases use. */
async function inProcess(argv: string[]) {
  const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const criteria: FilterCriteria = {};
  const judge = flag('--min-judge');
  if (judge) criteria.minJudgeScores = { [judge.split('=')[0]!]: Number(judge.split('=')[1]) };
  if (flag('--min-official')) criteria.minOfficialScore = Number(flag('--min-official'));
  if (flag('--max-official')) criteria.maxOfficialScore = Number(flag('--max-official'));
  return runFilter(resolveFilterOptions(undefined, { db: flag('--db'), output: flag('--output'), criteria }));
}

describe('synth-ai filter: bad input', () => {
  const noOutput = (output: string) => assert.deepEqual(readdirSync(join(output, '..')), []);
  const cases: [string, (d: string) => string[], RegExp][] = [
    ['missing DB', (d) => ['--db', join(d, 'nope.db'), '--output', join(d, 'o.jsonl')], /trace DB not found/],
    [
      'not a trace DB',
      (d) => {
        writeFileSync(join(d, 'x.db'), 'hello, this is not sqlite'.repeat(10));
        return ['--db', join(d, 'x.db'), '--output', join(d, 'o.jsonl')];
      },
      /not a trace DB \(not a SQLite file\)/,
    ],
    [
      'judge threshold outside [0, 1]',
      (d) => ['--db', db, '--output', join(d, 'o.jsonl'), '--min-judge', 'primary=2'],
      /primary = 2 is outside \[0, 1\]/,
    ],
    [
      'min greater than max',
      (d) => ['--db', db, '--output', join(d, 'o.jsonl'), '--min-official', '3', '--max-official', '1'],
      /min_official_score \(3\) is greater than max_official_score \(1\)/,
    ],
    [
      'unknown key',
      (d) => {
        writeFileSync(
          join(d, 'f.toml'),
          `[filter]\ndb = "${db}"\noutput = "${join(d, 'o.jsonl')}"\nmin_judge_score = 0.5\n`,
        );
        return ['--config', join(d, 'f.toml')];
      },
      /filter\.min_judge_score: unknown key; did you mean "min_judge_scores"\? \(.*f\.toml:4\)/,
    ],
    [
      'unwritable output',
      (d) => ['--db', db, '--output', join(d, 'no-such-folder', 'o.jsonl')],
      /cannot write output .*its folder does not exist/,
    ],
  ];
  // Two cases run the real CLI (exit code 2, one line on stderr); the rest call the same library path.
  for (const [index, [name, args, message]] of cases.entries()) {
    it(name, async () => {
      const d = tempDir();
      const argv = args(d);
      const before = new Set(readdirSync(d));
      if (index === 0 || index === 4) {
        const r = await runCli(['filter', ...argv]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      } else {
        await assert.rejects(
          inProcess(argv),
          (error: JsonLine) => error.exitCode === 2 && message.test(error.message),
        );
      }
      assert.deepEqual(
        readdirSync(d).filter((f) => !before.has(f)),
        [],
      );
    });
  }
  it('a read-only folder is refused before JsonLine work', {
    skip: process.getuid?.() === 0 ? 'root ignores folder permissions' : false,
  }, async () => {
    const d = tempDir();
    mkdirSync(join(d, 'ro'));
    chmodSync(join(d, 'ro'), 0o500);
    const r = await runCli(['filter', '--db', db, '--output', join(d, 'ro', 'o.jsonl')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /permission denied/);
    noOutput(join(d, 'ro', 'o.jsonl'));
  });
  it('a failure mid-export leaves no output and no temp file', async () => {
    const d = tempDir();
    const corrupt = await writeDb(
      [
        { id: 'ok', messages: crafterTurn(0, ['do']) },
        { id: 'broken', messages: crafterTurn(0, ['do']) },
      ],
      d,
    );
    const { default: Database } = await import('libsql');
    const raw = new Database(corrupt);
    raw.prepare(`UPDATE session_traces SET judge_metadata = '[1,2]' WHERE session_id = 'broken'`).run();
    raw.close();
    const out = join(d, 'out');
    mkdirSync(out);
    await assert.rejects(
      inProcess(['--db', corrupt, '--output', join(out, 'o.jsonl')]),
      /judge_metadata is not a JSON object/,
    );
    assert.deepEqual(readdirSync(out), []);
  });
});
