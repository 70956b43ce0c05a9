import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.ts';

const RL_CONFIG = `
[algorithm]
type = "online"
method = "policy_gradient"
variety = "gspo"

[compute]
gpu_type = "H100"
gpu_count = 8

[judge]
enabled = true
type = "programmatic"
rubric_id = "crafter/bundle@v1"
outcome_weight = 1.0
judge_scale = 10.0
combine_mode = "weighted_sum"

[rollout]
env_name = "crafter"
max_turns = 8
episodes_per_batch = 2
max_concurrent_rollouts = 4

[training]
num_epochs = 1
iterations_per_epoch = 2
group_size = 2
learning_rate = 5e-5
pipeline_async_enabled = true
`;

describe('synth-ai train', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synth-train-cli-'));
  const config = join(dir, 'rl.toml');
  writeFileSync(config, RL_CONFIG);
  const out = join(dir, 'out');

  it('runs RL from a seed 001 config: seed-form logs, warnings for ignored keys, metrics, plot, checkpoints', async () => {
    const r = await runCli(['train', '--type', 'rl', '--config', config, '--output', out], {
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(
      r.stdout,
      /^warning: \[compute\] \(GPU type and count\) has no effect on the local trainer$/m,
    );
    assert.match(r.stdout, /^warning: \[training\] learning_rate is for GPU trainers/m);
    assert.match(
      r.stdout,
      /^\[RUBRIC_CALL\] policy=local, provider=programmatic, model=crafter-verifier@2$/m,
    );
    assert.match(r.stdout, /^\[RUBRIC_SCORE\] event=n\/a, outcome=\d\.\d{3}, combined=-?\d+\.\d{3}$/m);
    assert.match(
      r.stdout,
      /^\[ITER 0\] mean_return=-?\d+\.\d{3}, env_return=-?\d+\.\d{3}, judge_return=\d+\.\d{3}$/m,
    );
    assert.match(r.stdout, /^\[ITER 1\] /m);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      metrics.map((m) => m.iteration),
      [0, 1],
    );
    assert.equal(metrics[0].trajectories, 4);
    assert.ok(metrics.every((m) => existsSync(m.checkpoint)));
    assert.match(readFileSync(join(out, 'training.html'), 'utf8'), /<svg[^>]*>.*polyline/s);
  });

  it('--resume continues after the last checkpoint', async () => {
    const r = await runCli(
      ['train', '--type', 'rl', '--config', config, '--output', out, '--resume', '--iterations', '3'],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^Resuming after iteration 1 from /m);
    assert.doesNotMatch(r.stdout, /^\[ITER [01]\]/m);
    assert.match(r.stdout, /^\[ITER 2\] /m);
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      metrics.map((m) => m.iteration),
      [0, 1, 2],
    );
  });

  it('refuses bad flags in one line with exit 2', async () => {
    const noType = await runCli(['train', '--config', config]);
    assert.equal(noType.code, 2);
    assert.match(noType.stderr, /--type must be sft or rl, got nothing/);
    const noDataset = await runCli(['train', '--type', 'sft']);
    assert.equal(noDataset.code, 2);
    assert.match(noDataset.stderr, /needs a dataset \(pass --dataset FILE\.jsonl\)/);
    const nothingToResume = await runCli([
      'train',
      '--type',
      'rl',
      '--config',
      config,
      '--output',
      join(dir, 'empty'),
      '--resume',
    ]);
    assert.equal(nothingToResume.code, 2);
    assert.match(nothingToResume.stderr, /nothing to resume/);
  });

  it('local SFT learns from a dataset and says how many decisions it used', async () => {
    const dataset = join(dir, 'sft.jsonl');
    const call = (action: string) => ({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'c',
          type: 'function',
          function: { name: 'interact_many', arguments: JSON.stringify({ actions: [action] }) },
        },
      ],
    });
    const lines = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `Facing: ${i % 2 ? 'tree' : 'water'}` },
          call(i % 2 ? 'do' : 'move_left'),
        ],
      }),
    );
    writeFileSync(dataset, `${lines.join('\n')}\nnot json\n`);
    const bad = await runCli(['train', '--type', 'sft', '--dataset', dataset, '--output', join(dir, 'sft')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /sft\.jsonl:21 is not a chat example/);
    writeFileSync(dataset, `${lines.join('\n')}\n`);
    const ok = await runCli(['train', '--type', 'sft', '--dataset', dataset, '--output', join(dir, 'sft')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /SFT on 20 decisions from 20 examples \(0 skipped\): loss \d\.\d{3} -> \d\.\d{3}/,
    );
    assert.ok(existsSync(join(dir, 'sft/sft-checkpoint.json')));
  });
});
