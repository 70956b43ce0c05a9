import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { judgeReport, loadLabels } from '../../src/judge/report.ts';
import { cohenKappa, pearson, ranks, spearman, textHistogram } from '../../src/judge/stats.ts';
import { storeWith } from './support/store.ts';
import { episodeWith, tempDir } from './support/traces.ts';

describe('agreement statistics', () => {
  it('match hand-computed values', () => {
    // x = 1..5, y = 2,4,5,4,5: mean 4; Σdxdy = 6, Σdx² = 10, Σdy² = 6 → r = 6/√60.
    assert.ok(Math.abs((pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) as number) - 6 / Math.sqrt(60)) < 1e-12);
    assert.deepEqual(ranks([10, 20, 20, 30]), [1, 2.5, 2.5, 4]);
    // ranks of y: 1, 2.5, 4.5, 2.5, 4.5 → Pearson with 1..5: Σdxdy = 7, Σdx² = 10, Σdy² = 9 → 7/√90.
    assert.ok(Math.abs((spearman([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) as number) - 7 / Math.sqrt(90)) < 1e-12);
    // a = TTFF T, b = TFFF T: po = 4/5; pe = .6·.4 + .4·.6 = .48 → κ = (.8 − .48)/.52.
    assert.ok(
      Math.abs(
        (cohenKappa([true, true, false, false, true], [true, false, false, false, true]) as number) -
          0.32 / 0.52,
      ) < 1e-12,
    );
    assert.equal(pearson([1], [2]), null);
    assert.equal(pearson([1, 1], [2, 3]), null);
    const h = textHistogram([0.05, 0.95, 0.97], { bins: 2, width: 4 }).split('\n');
    assert.equal(h[0], '0.00–0.50 | ##   1');
    assert.equal(h[1], '0.50–1.00 | #### 2');
  });

  it('reports each judge against total_reward and labels, skipping errors', async () => {
    const traces = [0, 1, 2, 3].map((i) => episodeWith(`r${i}`, i));
    const { store } = await storeWith(traces);
    const scores = [0.1, 0.5, 0.4, 0.9];
    for (const [i, s] of scores.entries())
      await store.mergeJudgeMetadata(`r${i}`, { primary: s, llm: { status: 'ok', primary: s } });
    await store.mergeJudgeMetadata('r3', { errors: { programmatic: { status: 'error', reason: 'x' } } });
    const file = join(tempDir(), 'labels.jsonl');
    writeFileSync(
      file,
      [
        '{"session_id":"r0","label":false}',
        '{"session_id":"r1","label":true}',
        '{"session_id":"r2","label":true}',
        '{"session_id":"r3","label":true}',
      ].join('\n'),
    );
    const rows = await judgeReport(store, { labels: loadLabels(file), threshold: 0.5 });
    await store.close();
    const official = traces.map((t) => t.outcome?.total_reward as number);
    const llm = rows.find((r) => r.judge === 'llm')!;
    assert.equal(llm.paired, 4);
    assert.ok(Math.abs((llm.pearson as number) - (pearson(scores, official) as number)) < 1e-12);
    // judge ≥ .5: F T F T vs labels F T T T: po = 3/4, pe = .5·.75 + .5·.25 = .5 → κ = .5.
    assert.equal(llm.kappa?.value, 0.5);
    assert.equal(rows.find((r) => r.judge === 'programmatic')?.failed, 1);
  });
});
