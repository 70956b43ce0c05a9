import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_SEEDS, parseConfigText, parseSeeds, trySeeds } from '../../src/config/index.ts';
import { UsageError } from '../../src/errors.ts';

describe('parseSeeds: one grammar for --seeds and TOML', () => {
  test('lists, integers, comma lists and inclusive ranges', () => {
    assert.deepEqual(parseSeeds([0, 1, 2]), [0, 1, 2]);
    assert.deepEqual(parseSeeds(7), [7]);
    assert.deepEqual(parseSeeds('0,5,9'), [0, 5, 9]);
    assert.deepEqual(
      parseSeeds('1-100'),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    assert.deepEqual(parseSeeds('1-3,7'), [1, 2, 3, 7]);
    assert.deepEqual(parseSeeds(' 4 - 6 , 2 '), [4, 5, 6, 2]);
    assert.deepEqual(parseSeeds('5-5'), [5]);
  });

  test('duplicates are dropped, first occurrence kept', () => {
    assert.deepEqual(parseSeeds('1-5,3,0'), [1, 2, 3, 4, 5, 0]);
  });

  test('bad chunks are errors that quote the chunk', () => {
    const bad: [unknown, RegExp][] = [
      ['1-3,x', /bad seed chunk "x"/],
      ['0,,1', /empty chunk/],
      ['1,', /empty chunk/],
      ['', /empty chunk/],
      ['9-5', /"9-5" starts after it ends \(write it as 5-9\)/],
      ['-1', /bad seed chunk "-1"/],
      ['1.5', /bad seed chunk "1.5"/],
      [[1, 'a'], /index 1 is "a"/],
      [[1, -2], /index 1 \(-2\) is not a non-negative integer/],
      [2.5, /not a non-negative integer/],
      [[], /no seeds/],
      [true, /expected seeds as a list/],
      [`0-${MAX_SEEDS + 5}`, /over 1000000 seeds/],
    ];
    for (const [value, pattern] of bad) {
      const result = trySeeds(value);
      assert.equal(result.ok, false, `${JSON.stringify(value)} should fail`);
      if (!result.ok) assert.match(result.problem, pattern);
    }
  });

  test('parseSeeds throws a UsageError naming the source', () => {
    assert.throws(
      () => parseSeeds('1-x', '--seeds'),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /^--seeds: bad seed chunk "1-x"/);
        assert.equal(error.exitCode, 2);
        return true;
      },
    );
  });

  test('TOML seeds take every form', () => {
    const seeds = (v: string) => parseConfigText(`[eval]\nseeds = ${v}\n`, 'e.toml').eval?.seeds;
    assert.deepEqual(seeds('[0, 1, 2]'), [0, 1, 2]);
    assert.deepEqual(seeds('3'), [3]);
    assert.deepEqual(seeds('"0,5,9"'), [0, 5, 9]);
    assert.deepEqual(seeds('"1-3,7"'), [1, 2, 3, 7]);
    assert.deepEqual(
      parseConfigText('[evaluation]\nseeds = "100-119"\n', 'rl.toml').rl?.evaluation?.seeds?.length,
      20,
    );
  });
});
