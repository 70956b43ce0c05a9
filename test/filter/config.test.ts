/**
 * `[filter]` goes through the config module: the filter's own keys map to its options, and bad keys or values
 * are named with file:line.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadFilterConfig, resolveFilterOptions } from '../../src/filter/index.ts';
import { tempDir } from './fixtures.ts';

function write(text: string): string {
  const file = join(tempDir(), 'filter.toml');
  writeFileSync(file, text);
  return file;
}

describe('[filter] through loadConfig', () => {
  it('maps every key, the filter-only ones included', () => {
    const file = write(
      [
        '[filter]',
        'db = "t.db"',
        'output = "out.jsonl"',
        'min_verifier_scores = { primary = 0.6, qa = 0.7 }',
        'max_judge_scores.event = 0.9',
        'min_created_at = 1761177600',
        'shuffle = true',
        'shuffle_seed = 3',
        'mode = "conversation"',
        'format = "dpo"',
        'keep_duplicates = true',
        'min_gap = 0.25',
        'dpo_score = "qa"',
        'dpo_group = "prompt"',
        '',
      ].join('\n'),
    );
    const options = resolveFilterOptions(loadFilterConfig(file), { criteria: { limit: 5 } });
    assert.deepEqual(options, {
      db: 't.db',
      output: 'out.jsonl',
      criteria: {
        minJudgeScores: { primary: 0.6, qa: 0.7 },
        maxJudgeScores: { event: 0.9 },
        minCreatedAt: '2025-10-23T00:00:00.000Z',
        requireImages: false,
        offset: 0,
        shuffle: true,
        shuffleSeed: 3,
        limit: 5,
      },
      mode: 'conversation',
      format: 'dpo',
      keepDuplicates: true,
      minGap: 0.25,
      dpoScore: 'qa',
      dpoGroup: 'prompt',
    });
  });

  it('defaults when the filter-only keys are absent', () => {
    const options = resolveFilterOptions(
      loadFilterConfig(write('[filter]\ndb = "t.db"\noutput = "o.jsonl"\n')),
      {
        criteria: {},
      },
    );
    assert.equal(options.mode, 'turn');
    assert.equal(options.format, 'sft');
    assert.equal(options.keepDuplicates, false);
    assert.equal(options.minGap, 0.1);
    assert.equal(options.dpoScore, 'primary');
    assert.equal(options.dpoGroup, 'seed');
  });

  it('names a bad value and an unknown key with file:line', () => {
    const file = write('[filter]\ndb = "t.db"\nmode = "turns"\nkeep_duplicate = true\nmin_gap = -1\n');
    assert.throws(
      () => loadFilterConfig(file),
      (error: Error & { problems?: string[]; exitCode?: number }) => {
        const problems = error.problems ?? [];
        assert.equal(error.exitCode, 2);
        assert.ok(
          problems.some((p) => /^filter\.mode: .*turn.*conversation.*filter\.toml:3\)$/.test(p)),
          problems.join('\n'),
        );
        assert.ok(
          problems.some((p) =>
            /^filter\.keep_duplicate: unknown key; did you mean "keep_duplicates"\? .*:4\)$/.test(p),
          ),
          problems.join('\n'),
        );
        assert.ok(
          problems.some((p) => /^filter\.min_gap: .*0.*filter\.toml:5\)$/.test(p)),
          problems.join('\n'),
        );
        return true;
      },
    );
  });

  it('a file without [filter] is one clear problem', () => {
    assert.throws(() => loadFilterConfig(write('[eval]\napp_id = "crafter"\n')), /has no \[filter\] table/);
  });
});
