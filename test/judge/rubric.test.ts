import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/errors.ts';
import { renderTrace } from '../../src/judge/render-trace.ts';
import { loadRubricFile, loadRubricFromTaskApp } from '../../src/judge/rubric-load.ts';
import { parseRubric, rubricForInstance } from '../../src/judge/rubric-parse.ts';
import { aggregateSection } from '../../src/judge/rubric-score.ts';
import { episodeWith, tempDir } from './support/traces.ts';

const bundle = {
  global_rubric: {
    id: 'crafter/bundle@v1',
    description: 'Evaluate',
    criteria: ['Achievement progression (collect wood)', 'Survival capability (health)'],
    scoring_guide: { '0.7-0.9': 'Good', '0.9-1.0': 'Excellent' },
  },
  instance_rubrics: [{ seed: 7, criteria: [{ id: 'find_water', description: 'Drinks water' }] }],
};

const original = {
  outcome: {
    id: 'banking77/outcome',
    criteria: [
      { id: 'a', description: 'A', weight: 3 },
      { id: 'b', description: 'B', weight: 1, required: true },
    ],
  },
  events: { criteria: [{ id: 'e', description: 'E' }], aggregation: 'sum' },
};

describe('rubrics', () => {
  it('normalises the seeds bundle form: ids from sentences, equal weights, sorted guide, instance criteria', () => {
    const r = parseRubric(bundle);
    assert.equal(r.id, 'crafter/bundle@v1');
    assert.deepEqual(
      r.outcome?.criteria.map((c) => [c.id, c.weight]),
      [
        ['achievement_progression', 1],
        ['survival_capability', 1],
      ],
    );
    assert.deepEqual(
      r.scoringGuide.map((b) => b.min),
      [0.9, 0.7],
    );
    const inst = rubricForInstance(r, { seed: 7 });
    assert.deepEqual(
      inst.outcome?.criteria.map((c) => c.id),
      ['achievement_progression', 'survival_capability', 'find_water'],
    );
    assert.notEqual(inst.version, r.version);
    assert.equal(rubricForInstance(r, { seed: 8 }).version, r.version);
  });

  it('normalises the original form and aggregates like synth-ai (weighted, sum, required)', () => {
    const r = parseRubric(original);
    assert.equal(r.id, 'banking77/outcome');
    const o = r.outcome!;
    assert.equal(
      aggregateSection(o, { a: { score: 1, reason: '' }, b: { score: 0.6, reason: '' } }),
      (3 + 0.6) / 4,
    );
    assert.equal(
      aggregateSection(o, { a: { score: 1, reason: '' }, b: { score: 0, reason: '' } }),
      0,
      'required criterion at 0',
    );
    assert.equal(aggregateSection(r.event!, { e: { score: 0.5, reason: '' } }), 0.5);
  });

  it('version is a content hash: key order does not matter, any text change does', () => {
    const a = parseRubric(bundle).version;
    const reordered = {
      instance_rubrics: bundle.instance_rubrics,
      global_rubric: {
        scoring_guide: bundle.global_rubric.scoring_guide,
        criteria: bundle.global_rubric.criteria,
        description: 'Evaluate',
        id: 'crafter/bundle@v1',
      },
    };
    assert.equal(parseRubric(reordered).version, a);
    const edited = {
      ...bundle,
      global_rubric: {
        ...bundle.global_rubric,
        criteria: ['Achievement progression (collect wood!)', 'Survival capability (health)'],
      },
    };
    assert.notEqual(parseRubric(edited).version, a);
    assert.match(a, /^sha256:[0-9a-f]{16}$/);
  });

  it('rejects bad rubrics with every problem in one error', () => {
    assert.throws(
      () => parseRubric({ outcome: { criteria: [{ id: 'x', description: 'X', weight: -1 }] } }),
      ConfigError,
    );
    assert.throws(
      () => parseRubric({ global_rubric: { id: 'r', criteria: ['a'], scoring_guide: { high: 'x' } } }),
      (e: ConfigError) => /scoring_guide key "high"/.test(e.message),
    );
  });

  it('loads JSON and TOML files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.json'), JSON.stringify(original));
    writeFileSync(
      join(dir, 'r.toml'),
      '[rubric.global_rubric]\nid = "t/r@v1"\ncriteria = ["Clarity", "Correctness"]\n',
    );
    assert.equal(loadRubricFile(join(dir, 'r.json')).outcome?.criteria.length, 2);
    const t = loadRubricFile(join(dir, 'r.toml'));
    assert.equal(t.id, 't/r@v1');
    assert.deepEqual(
      t.outcome?.criteria.map((c) => c.id),
      ['clarity', 'correctness'],
    );
  });

  it("loads a task app's /info rubrics with the X-API-Key header", async () => {
    const server = createServer((req, res) => {
      const ok = req.headers['x-api-key'] === 'k1';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok ? { service: { task: { id: 'banking77' } }, rubrics: original } : { error: 'unauthorised' },
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await loadRubricFromTaskApp(url, { apiKey: 'k1' });
      assert.equal(r.outcome?.criteria[0]?.weight, 3);
      await assert.rejects(loadRubricFromTaskApp(url, { apiKey: 'bad' }), /HTTP 401/);
      // A given fetch (eval's in-process route to a temporary app) is the one used, with the same headers.
      const asked: string[] = [];
      const viaRoute: typeof fetch = async (input, init) => {
        asked.push(`${String(input)} ${new Headers(init?.headers).get('x-api-key')}`);
        return Response.json({ rubrics: original });
      };
      const routed = await loadRubricFromTaskApp('http://app.invalid/', { apiKey: 'k2', fetch: viaRoute });
      assert.equal(routed.outcome?.criteria[0]?.weight, 3);
      assert.deepEqual(asked, ['http://app.invalid/info k2']);
    } finally {
      server.close();
    }
  });

  it('renders long episodes within the token budget, keeping first and last steps', () => {
    const t = episodeWith('long', 5, 300);
    const r = renderTrace(t, { tokenBudget: 2000 });
    assert.equal(r.condensed, true);
    assert.ok(r.tokens <= 2000, `tokens ${r.tokens}`);
    assert.match(r.text, /### step 0\n/);
    assert.match(r.text, /### step 299\n/);
    assert.match(r.text, /middle steps omitted/);
    const short = renderTrace(episodeWith('s', 1, 3));
    assert.equal(short.condensed, false);
    assert.doesNotMatch(short.text, /\bs\b.*session/);
  });
});
