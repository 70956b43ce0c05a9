import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.ts';

const DIR = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));
const load = (name: string) => loadConfig(`${DIR}${name}`, { env: {} });
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('every config block of the seeds parses verbatim', () => {
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.toml'))) {
    test(name, () => {
      const config = load(name);
      assert.ok(config.eval || config.promptLearning || config.filter || config.rl, 'at least one block');
    });
  }
});

describe('seed 003', () => {
  test('legacy [eval] with [eval.policy_config] and [eval.env_config]', () => {
    const e = load('seed-003-eval-legacy.toml').eval!;
    assert.equal(e.app_id, 'banking77');
    assert.equal(e.task_app_url, 'http://localhost:8103');
    assert.equal(e.env_name, 'banking77');
    assert.deepEqual(e.seeds, [0, 1, 2, 3, 4]);
    assert.equal(e.concurrency, 5);
    assert.equal(e.model, 'gpt-4', 'model is read from policy_config');
    assert.deepEqual(e.policy_config, {
      model: 'gpt-4',
      provider: 'openai',
      inference_url: 'https://api.openai.com/v1',
    });
    assert.deepEqual(e.env_config, { split: 'test' });
    assert.equal(e.max_llm_calls, 10);
    assert.equal(e.return_trace, true);
    assert.deepEqual(e.judges, []);
  });

  test('[prompt_learning] with [prompt_learning.gepa.evaluation]', () => {
    const p = load('seed-003-prompt-learning.toml').promptLearning!;
    assert.equal(p.task_app_id, 'banking77');
    assert.equal(p.task_app_url, 'http://localhost:8103');
    assert.equal(p.env_name, 'banking77');
    assert.deepEqual(p.seeds, [0, 1, 2, 3, 4]);
    assert.equal(p.algorithm, 'gepa');
  });
});

describe('seed 000', () => {
  test('[eval] with trace_db and [eval.judge]', () => {
    const e = load('seed-000-eval-with-judges.toml').eval!;
    assert.equal(e.app_id, 'grpo-crafter');
    assert.equal(e.model, 'Qwen/Qwen3-4B');
    assert.deepEqual(e.seeds, [1, 2, 3, 4, 5]);
    assert.equal(e.trace_db, 'traces/v3/synth_ai.db');
    assert.equal(e.judges.length, 1);
    assert.deepEqual(e.judge, e.judges[0]);
    assert.equal(e.judge?.name, 'primary');
    assert.equal(e.judge?.enabled, true);
    assert.equal(e.judge?.provider, 'openai');
    assert.equal(e.judge?.model, 'gpt-4o-mini');
    assert.equal(e.judge?.api_key_env, 'OPENAI_API_KEY');
    assert.equal(e.judge?.rubric_id, 'crafter/bundle@v1');
  });

  test('[filter] with dotted min_judge_scores', () => {
    const f = load('seed-000-filter-by-judges.toml').filter!;
    assert.equal(f.db, 'traces/v3/synth_ai.db');
    assert.equal(f.output, 'ft_data/crafter_filtered_sft.jsonl');
    assert.deepEqual(f.min_judge_scores, { primary: 0.7, event: 0.6, outcome: 0.8 });
    assert.equal(f.min_official_score, 0.01);
    assert.deepEqual(f.splits, ['train']);
    assert.equal(f.limit, 1000);
    assert.equal(f.offset, 0);
    assert.equal(f.shuffle, false);
    assert.equal(f.require_images, false);
  });

  test('[filter] by multiple criteria, vision, top quality', () => {
    const m = load('seed-000-filter-multiple-criteria.toml').filter!;
    assert.deepEqual(m.min_judge_scores, { primary: 0.8 });
    assert.equal(m.min_official_score, 5);
    assert.deepEqual(m.models, ['Qwen/Qwen3-4B', 'ft:abc123:2024-09-18']);
    assert.equal(m.limit, 500);
    const v = load('seed-000-filter-vision.toml').filter!;
    assert.equal(v.db, 'traces/v3/crafter_vision.db');
    assert.deepEqual(v.min_judge_scores, { primary: 0.75 });
    assert.deepEqual(v.task_ids, ['crafter_classic_procedural']);
    assert.equal(v.require_images, true);
    const t = load('seed-000-filter-top-quality.toml').filter!;
    assert.deepEqual(t.min_judge_scores, { primary: 0.8, outcome: 0.75 });
    assert.equal(t.min_official_score, 2);
    assert.equal(t.limit, 200);
  });
});

describe('seed 002', () => {
  test('filter_sft_dataset.toml and the available options', () => {
    const f = load('seed-002-filter-sft-dataset.toml').filter!;
    assert.equal(f.db, 'traces/v3/crafter_eval.db');
    assert.equal(f.output, 'ft_data/crafter_image_only_sft.jsonl');
    assert.equal(f.min_official_score, 0.01);
    const o = load('seed-002-filter-available-options.toml').filter!;
    assert.deepEqual(o.splits, ['train', 'test']);
    assert.deepEqual(o.task_ids, ['task_1']);
    assert.deepEqual(o.models, ['gpt-4o']);
    assert.equal(o.limit, 100);
  });

  test('time-based filtering: a naive ISO time is UTC', () => {
    const f = load('seed-002-filter-variations.toml').filter!;
    assert.equal(f.min_official_score, 2);
    assert.equal(f.min_created_at?.toISOString(), '2025-10-22T00:00:00.000Z');
  });

  test('top-level eval keys (no [eval] header) are read as [eval]', () => {
    const e = load('seed-002-eval-scale-up.toml').eval!;
    assert.deepEqual(e.seeds, range(0, 9));
    assert.equal(e.max_turns, 50);
  });
});

describe('seed 001', () => {
  test('the complete example of §9', () => {
    const config = load('seed-001-rl-complete.toml');
    const rl = config.rl!;
    assert.deepEqual(rl.algorithm, { type: 'online', method: 'policy_gradient', variety: 'gspo' });
    assert.equal(rl.services?.task_url, 'https://my-crafter-app.modal.run');
    assert.deepEqual(rl.model, { base: 'Qwen/Qwen3-4B', label: 'crafter-rl-judged-v1' });
    assert.deepEqual(rl.compute, { gpu_type: 'H100', gpu_count: 8 });
    assert.equal(rl.topology?.type, 'single_node_split');
    assert.equal(rl.topology?.gpus_for_vllm, 4);
    const j = rl.judge!;
    assert.equal(j.enabled, true);
    assert.equal(j.provider, 'openai', 'type = "openai" is the provider');
    assert.equal(j.model, 'gpt-4o-mini');
    assert.equal(j.api_key_env, 'OPENAI_API_KEY');
    assert.equal(j.rubric_id, 'crafter/bundle@v1');
    assert.equal(j.outcome_weight, 1);
    assert.equal(j.event_weight, 0);
    assert.equal(j.judge_scale, 10.0);
    assert.equal(j.combine_mode, 'weighted_sum');
    assert.equal(j.event, false, 'event judging off: event_weight = 0');
    assert.equal(j.outcome, true);
    assert.equal(j.sample_rate, 1);
    assert.deepEqual(rl.rollout, {
      env_name: 'crafter',
      max_turns: 50,
      episodes_per_batch: 8,
      policy_name: 'crafter-react',
      max_concurrent_rollouts: 16,
    });
    assert.equal(rl.training.num_epochs, 2);
    assert.equal(rl.training.learning_rate, 5e-5);
    assert.equal(rl.training.gradient_accumulation_steps, 2);
    assert.equal(rl.training.pipeline_async_enabled, true);
    assert.equal(rl.training.async_semaphore_max, 16);
    assert.equal(rl.training.step_rewards_enabled, true);
    assert.equal(rl.training.step_rewards_mode, 'decision_stepwise');
    assert.deepEqual(rl.evaluation?.seeds, range(100, 119));
    assert.equal(rl.evaluation?.instances, 20);
    assert.equal(rl.evaluation?.every_n_iters, 10);
    assert.deepEqual(rl.rubric, { enabled: false, weights: { env: 1, event: 0, outcome: 0 } });
    assert.deepEqual(config.warnings, []);
  });

  test('§2 basic config and the three providers', () => {
    const rl = load('seed-001-rl-with-judges.toml').rl!;
    assert.equal(rl.model?.label, 'crafter-rl-with-judges');
    assert.equal(rl.training.iterations_per_epoch, 20);
    assert.equal(rl.training.pipeline_async_enabled, false);
    for (const [name, provider, model] of [
      ['openai', 'openai', 'gpt-4o-mini'],
      ['groq', 'groq', 'llama-3.3-70b-versatile'],
      ['anthropic', 'anthropic', 'claude-3-5-sonnet-20241022'],
    ] as const) {
      const j = load(`seed-001-judge-${name}.toml`).rl!.judge!;
      assert.equal(j.provider, provider);
      assert.equal(j.model, model);
      assert.equal(j.rubric_id, 'your-task/rubric@v1');
      assert.equal(j.judge_scale, 10);
    }
  });

  test('§4 combination modes', () => {
    const ws = load('seed-001-combine-weighted-sum.toml').rl!.judge!;
    assert.deepEqual([ws.combine_mode, ws.outcome_weight, ws.judge_scale], ['weighted_sum', 1, 10]);
    const mul = load('seed-001-combine-multiply.toml').rl!.judge!;
    assert.deepEqual([mul.combine_mode, mul.outcome_weight, mul.judge_scale], ['multiply', 1, 1]);
    const rep = load('seed-001-combine-replace.toml').rl!.judge!;
    assert.deepEqual([rep.combine_mode, rep.outcome_weight, rep.judge_scale], ['replace', 1, 10]);
  });

  test('§5 event, outcome and hybrid judging switch on from the weights', () => {
    const ev = load('seed-001-judge-event-level.toml').rl!.judge!;
    assert.deepEqual(
      [ev.event, ev.outcome, ev.event_weight, ev.outcome_weight, ev.judge_scale],
      [true, false, 1, 0, 1],
    );
    const out = load('seed-001-judge-outcome-level.toml').rl!.judge!;
    assert.deepEqual([out.event, out.outcome, out.judge_scale], [false, true, 10]);
    const hy = load('seed-001-judge-hybrid.toml').rl!.judge!;
    assert.deepEqual([hy.event, hy.outcome, hy.event_weight, hy.judge_scale], [true, true, 0.5, 5]);
  });

  test('§7 async pipeline and §8 cost snippets', () => {
    const t = load('seed-001-training-async.toml').rl!.training;
    assert.deepEqual([t.pipeline_async_enabled, t.async_semaphore_max, t.judge_timeout_s], [true, 16, 30]);
    assert.equal(load('seed-001-cost-groq.toml').rl!.judge!.provider, 'groq');
    assert.equal(load('seed-001-cost-outcome-only.toml').rl!.judge!.event, false);
    assert.equal(load('seed-001-cost-sample-rate.toml').rl!.judge!.sample_rate, 0.5);
    assert.equal(load('seed-001-cost-short-episodes.toml').rl!.rollout?.max_turns, 20);
  });
});
