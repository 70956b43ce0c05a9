import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigText } from '../../src/config/load-config.ts';
import { localTrainerWarnings, rlSettings } from '../../src/train/rl-settings.ts';

const base = `
[judge]
enabled = true
type = "programmatic"
outcome_weight = 1.0
judge_scale = 10.0
combine_mode = "multiply"

[rollout]
env_name = "crafter"
episodes_per_batch = 8
max_concurrent_rollouts = 16

[training]
num_epochs = 2
iterations_per_epoch = 50
group_size = 4
`;

describe('rlSettings (seed 001 keys → the loop)', () => {
  it('reads sizes, the combine mode and the weights', () => {
    const rl = parseConfigText(base, 'rl.toml').rl!;
    const s = rlSettings(rl);
    assert.equal(s.iterations, 100);
    assert.equal(s.episodesPerBatch, 8);
    assert.equal(s.groupSize, 4);
    assert.equal(s.maxConcurrentRollouts, 16);
    assert.deepEqual(s.rewards, {
      kind: 'judge',
      settings: { combineMode: 'multiply', outcomeWeight: 1, eventWeight: 0, judgeScale: 10 },
    });
    assert.equal(s.stepRewards, null);
  });

  it('decision_stepwise step rewards become per-decision settings', () => {
    const rl = parseConfigText(
      `${base}step_rewards_enabled = true\nstep_rewards_mode = "decision_stepwise"\nstep_rewards_indicator_lambda = 0.5\n`,
      'rl.toml',
    ).rl!;
    assert.deepEqual(rlSettings(rl).stepRewards, { lambda: 0.5, beta: 1 });
  });

  it('[rubric.weights] switches to the original blend', () => {
    const rl = parseConfigText(
      `${base}\n[rubric]\nenabled = true\n[rubric.weights]\nenv = 0.2\nevent = 0.4\noutcome = 0.4\n`,
      'rl.toml',
    ).rl!;
    assert.deepEqual(rlSettings(rl).rewards, {
      kind: 'blend',
      weights: { env: 0.2, event: 0.4, outcome: 0.4 },
    });
  });

  it('names every key the local trainer ignores', () => {
    const rl = parseConfigText(
      `${base}learning_rate = 5e-5\n\n[compute]\ngpu_type = "H100"\ngpu_count = 8\n\n[model]\nbase = "Qwen/Qwen3-4B"\n`,
      'rl.toml',
    ).rl!;
    const warnings = localTrainerWarnings(rl);
    assert.ok(warnings.some((w) => w.startsWith('[compute]')));
    assert.ok(warnings.some((w) => w.includes('Qwen/Qwen3-4B')));
    assert.ok(warnings.some((w) => w.includes('learning_rate')));
  });
});
