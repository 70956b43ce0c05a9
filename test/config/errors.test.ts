import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig, parseConfigText } from '../../src/config/index.ts';
import { ConfigError, ExitCode, SynthError } from '../../src/errors.ts';

/** The problems `text` produces, or fails when it parses. */
function problems(text: string, file = 'configs/x.toml'): readonly string[] {
  try {
    parseConfigText(text, file);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error.problems;
  }
  assert.fail('expected the config to be refused');
}

describe('unknown keys', () => {
  test('did you mean, with file and line, through loadConfig on a real file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-config-'));
    mkdirSync(join(dir, 'configs'));
    writeFileSync(
      join(dir, 'configs', 'eval.toml'),
      [
        '# eval config',
        '[eval]',
        'app_id = "banking77"',
        'seeds = [0, 1]',
        '',
        '',
        'concurency = 4',
        '',
      ].join('\n'),
    );
    try {
      loadConfig('configs/eval.toml', { cwd: dir, env: {} });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(SynthError.isInstance(error));
      assert.equal(error.exitCode, ExitCode.usage);
      assert.deepEqual((error as ConfigError).problems, [
        'eval.concurency: unknown key; did you mean "concurrency"? (configs/eval.toml:7)',
      ]);
    }
  });

  test('dotted keys, sub-tables, array tables and unknown tables get their own line', () => {
    const text = [
      '[filter]', //                       1
      'db = "t.db"', //                     2
      'min_judge_score.primary = 0.7', //   3
      'require_image = true', //            4
      '[eval.judge]', //                    5
      'modle = "gpt-4o-mini"', //           6
      '[[eval.judges]]', //                 7
      'name = "a"', //                      8
      '[[eval.judges]]', //                 9
      'name = "b"', //                     10
      'rubricid = "x"', //                 11
      '[evalution]', //                    12
      'seeds = [1]', //                    13
    ].join('\n');
    assert.deepEqual(problems(text), [
      'filter.min_judge_score: unknown key; did you mean "min_judge_scores"? (configs/x.toml:3)',
      'filter.require_image: unknown key; did you mean "require_images"? (configs/x.toml:4)',
      'eval.judge.modle: unknown key; did you mean "model"? (configs/x.toml:6)',
      'eval.judges[1].rubricid: unknown key; did you mean "rubric_id"? (configs/x.toml:11)',
      'evalution: unknown table or key; did you mean "evaluation"? (configs/x.toml:12)',
    ]);
  });

  test('a key written in the wrong section says where it belongs', () => {
    const [problem] = problems('[judge]\nmodel = "m"\njudge_timeout_s = 30\n');
    assert.equal(problem, 'judge.judge_timeout_s: unknown key; it belongs in [training] (configs/x.toml:3)');
  });

  test('inline tables and top-level eval keys are located too', () => {
    assert.deepEqual(problems('[filter]\nmin_judge_scores = { primary = 0.5, event = 2 }\n'), [
      'filter.min_judge_scores.event: must be at most 1, got 2 (configs/x.toml:2)',
    ]);
    assert.deepEqual(problems('seeds = [1, 2]\n\nmax_turn = 3\n'), [
      'eval.max_turn: unknown key; did you mean "max_turns"? (configs/x.toml:3)',
    ]);
  });
});

describe('wrong types name the key and the expected type', () => {
  test('integers, numbers, strings, booleans, lists, enums', () => {
    const text = [
      '[eval]',
      'app_id = "banking77"',
      'concurrency = "five"',
      'max_turns = 2.5',
      'return_trace = "yes"',
      'ops = "agent"',
      'trace_format = "structurd"',
      '[judge]',
      'model = 4',
      'combine_mode = "weighted-sum"',
    ].join('\n');
    assert.deepEqual(problems(text, 'configs/eval.toml'), [
      'eval.concurrency: expected an integer, got "five" (configs/eval.toml:3)',
      'eval.max_turns: expected an integer, got 2.5 (configs/eval.toml:4)',
      'eval.return_trace: expected true or false, got "yes" (configs/eval.toml:5)',
      'eval.ops: expected a list, got "agent" (configs/eval.toml:6)',
      'eval.trace_format: expected one of "compact", "full", "structured", got "structurd"; did you mean "structured"? (configs/eval.toml:7)',
      'judge.model: expected a string, got 4 (configs/eval.toml:9)',
      'judge.combine_mode: expected one of "weighted_sum", "multiply", "replace", got "weighted-sum"; did you mean "weighted_sum"? (configs/eval.toml:10)',
    ]);
  });

  test('a bad element of a multi-line seeds list points at its own line', () => {
    assert.deepEqual(problems('[evaluation]\nseeds = [\n  1, 2,\n  "x",\n]\n'), [
      'evaluation.seeds[2]: seed at index 2 is "x", not an integer (configs/x.toml:4)',
    ]);
  });
});

describe('cross-field rules', () => {
  test('filter: thresholds in [0,1], min <= max, shuffle_seed needs shuffle, times in order', () => {
    const text = [
      '[filter]',
      'output = "out.jsonl"',
      'min_judge_scores.primary = 1.5',
      'min_judge_scores.event = 0.9',
      'max_judge_scores.event = 0.5',
      'min_official_score = 3',
      'max_official_score = 1',
      'shuffle_seed = 4',
      'min_created_at = "2025-10-23"',
      'max_created_at = "2025-10-22T00:00:00Z"',
      'offset = -1',
    ].join('\n');
    assert.deepEqual(problems(text), [
      'filter.min_judge_scores.primary: must be at most 1, got 1.5 (configs/x.toml:3)',
      'filter.min_judge_scores.event: min_judge_scores.event (0.9) is greater than max_judge_scores.event (0.5) (configs/x.toml:4)',
      'filter.min_official_score: min_official_score (3) is greater than max_official_score (1) (configs/x.toml:6)',
      'filter.shuffle_seed: shuffle_seed needs shuffle = true (configs/x.toml:8)',
      'filter.min_created_at: min_created_at (2025-10-23T00:00:00.000Z) is after max_created_at (2025-10-22T00:00:00.000Z) (configs/x.toml:9)',
      'filter.offset: must be at least 0, got -1 (configs/x.toml:11)',
    ]);
    assert.equal(
      parseConfigText('[filter]\nshuffle = true\nshuffle_seed = 4\n', 'f.toml').filter?.shuffle_seed,
      4,
    );
  });

  test('seed ranges start <= end; rubric weights not all zero; judge settings agree', () => {
    const text = [
      '[eval]',
      'seeds = "1-3,9-5"',
      '[judge]',
      'type = "openai"',
      'sample_rate = 1.5',
      '[judge.options]',
      'provider = "groq"',
      'event = false',
      'outcome = false',
      '[rubric.weights]',
      'env = 0',
      '[compute]',
      'gpu_count = 2',
      '[topology]',
      'gpus_for_vllm = 4',
    ].join('\n');
    assert.deepEqual(problems(text), [
      'eval.seeds: seed range "9-5" starts after it ends (write it as 5-9) (configs/x.toml:2)',
      'judge.sample_rate: must be at most 1, got 1.5 (configs/x.toml:5)',
      'judge.options: judge.options turns off both event and outcome judging; keep at least one on (configs/x.toml:6)',
      'judge.options.provider: judge.options.provider ("groq") disagrees with judge.type ("openai") (configs/x.toml:7)',
      'rubric.weights: rubric.weights are all zero; at least one of env, event, outcome must be > 0 (configs/x.toml:10)',
      'topology: topology uses 4 GPUs but compute has 2 (configs/x.toml:14)',
    ]);
  });

  test('eval: aliases must agree, judge names are unique, Python judge modules are refused', () => {
    const text = [
      '[eval]',
      'url = "http://a:1"',
      'task_app_url = "http://b:2"',
      'model = "gpt-4o"',
      '[eval.policy_config]',
      'model = "gpt-4"',
      '[eval.judge.qa]',
      'module = "judges.qa"',
      '[[eval.judges]]',
      'name = "qa"',
    ].join('\n');
    assert.deepEqual(problems(text), [
      'eval.url: url ("http://a:1") disagrees with task_app_url ("http://b:2"); keep one (configs/x.toml:2)',
      'eval.policy_config.model: policy_config.model "gpt-4" disagrees with model "gpt-4o"; keep one (configs/x.toml:6)',
      'eval.judge.qa.module: Python judge modules (module) cannot run in synth-ai for TypeScript; use provider and model, or provider = "programmatic" (configs/x.toml:8)',
      'eval.judges[0].name: two judges are named "qa" (configs/x.toml:10)',
    ]);
  });
});

describe('syntax errors and files', () => {
  test('a TOML syntax error names file, line and column', () => {
    assert.deepEqual(problems('[eval]\napp_id = "a"\nseeds = [1,\n', 'configs/bad.toml').length, 1);
    const [problem] = problems('[eval]\nx = = 3\n', 'configs/bad.toml');
    assert.match(problem!, /^configs\/bad\.toml:2:5: TOML syntax error: /);
  });

  test('a missing config file is one line naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-config-'));
    assert.throws(() => loadConfig('configs/nope.toml', { cwd: dir, env: {} }), {
      message: 'config file configs/nope.toml does not exist',
    });
  });

  test('warnings name deprecated keys and settings that cannot take effect', () => {
    const text =
      '[judge]\nmodel = "m"\nevent_weight = 1.0\ntimeout_s = 5\n[judge.options]\nevent = false\ntracks = ["x"]\n';
    assert.deepEqual(parseConfigText(text, 'rl.toml').warnings, [
      'judge.timeout_s: judge.timeout_s is deprecated; use judge.options.timeout_s (rl.toml:4)',
      'judge.options.tracks: judge.options.tracks is deprecated and ignored (rl.toml:7)',
      'judge.event_weight: judge.event_weight is 1 but event judging is off (rl.toml:3)',
    ]);
  });
});
