/**
 * The `banking77` task app: intent classification with a forced tool call, served by the task app SDK.
 * `env.config.dataset` picks the built-in set (default) or the real dataset from Hugging Face (`hf`).
 * @module
 */
import { UsageError } from '../../errors.ts';
import { defineTaskApp } from '../../task-app/define.ts';
import type { JsonObject } from '../../tracing/types.ts';
import { type Banking77Source, builtinSplit, loadBanking77Split } from './dataset.ts';
import { createBanking77Environment } from './environment.ts';
import { createKeywordPolicy } from './keyword-policy.ts';
import { BANKING77_LABELS } from './labels.ts';
import { BANKING77_SYSTEM_PROMPT } from './prompt.ts';

function readSource(config: JsonObject): Banking77Source {
  const value = config.dataset ?? 'builtin';
  if (value === 'builtin' || value === 'hf') return value;
  throw new UsageError(`env.config.dataset: unknown dataset ${JSON.stringify(value)}`, {
    hint: 'use "builtin" (offline) or "hf" (Hugging Face)',
  });
}

/** A coarse difficulty by query length, for eval's metadata selection. */
export function banking77Difficulty(query: string): 'easy' | 'medium' | 'hard' {
  const words = query.trim().split(/\s+/).length;
  if (words <= 8) return 'easy';
  if (words <= 12) return 'medium';
  return 'hard';
}

/** The Banking77 task app. */
export const banking77App = defineTaskApp({
  id: 'banking77',
  name: 'Banking77 intent classification',
  description: 'Classify a banking customer query into one of 77 intents with the banking77_classify tool.',
  version: '0.1.0',
  describeTaskset() {
    const train = builtinSplit('train');
    return {
      id: 'banking77',
      name: 'Banking77',
      dataset: 'builtin',
      splits: { train: train.length, test: builtinSplit('test').length },
      num_intents: BANKING77_LABELS.length,
      intents: [...BANKING77_LABELS],
      seed_mapping: 'index = seed % split size',
      difficulty_map: Object.fromEntries(
        train.map((example, index) => [String(index), banking77Difficulty(example.text)]),
      ),
    };
  },
  taskInfo(seed) {
    const train = builtinSplit('train');
    const index = seed % train.length;
    const example = train[index]!;
    return {
      environment: 'banking77',
      action_space: { type: 'tool_call', tools: ['banking77_classify'] },
      observation: { keys: ['query', 'index', 'split', 'available_intents'] },
      dataset: { id: 'banking77', source: 'builtin', split: 'train', index, size: train.length },
      limits: { max_turns: 1 },
      task_metadata: {
        split: 'train',
        index,
        difficulty: banking77Difficulty(example.text),
        query: example.text,
      },
    };
  },
  rubrics: {
    outcome: {
      id: 'banking77/outcome@v1',
      goal_text: 'Classify the query into the correct Banking77 intent.',
      criteria: [
        { id: 'intent_accuracy', description: 'The chosen intent is the gold intent.', weight: 0.8 },
        { id: 'tool_usage', description: 'Exactly one valid banking77_classify call was made.', weight: 0.2 },
      ],
      aggregation: 'weighted_sum',
      scoring_guide: {
        '0.9-1.0': 'Correct intent through one valid tool call',
        '0.2-0.9': 'Valid tool call with a wrong but related intent',
        '0.0-0.2': 'No valid tool call, or an unrelated intent',
      },
    },
    events: {
      id: 'banking77/events@v1',
      criteria: [
        {
          id: 'tool_usage',
          description: 'Each turn calls banking77_classify with a listed label.',
          weight: 1,
        },
      ],
      aggregation: 'weighted_sum',
    },
  },
  policies: { keyword: () => createKeywordPolicy() },
  defaultPolicy: 'keyword',
  llm: { systemPrompt: BANKING77_SYSTEM_PROMPT, toolChoice: { name: 'banking77_classify' } },
  dataset: {
    id: 'banking77',
    sources: ['builtin', 'hf'],
    hf_dataset: 'PolyAI/banking77',
    splits: ['train', 'test'],
  },
  limits: { max_turns: 1 },
  defaultMaxSteps: 1,
  defaultSplit: 'train',
  async environment({ seed, split, config }) {
    const examples = await loadBanking77Split({ split, source: readSource(config) });
    const index = seed % examples.length;
    return createBanking77Environment({ example: examples[index]!, index, split });
  },
  score({ totalReward, steps, summary }) {
    const reward = totalReward > 0 ? 1 : 0;
    return {
      outcome_score: reward,
      events_score: reward,
      details: {
        correct: reward === 1,
        predicted_intent: summary.metadata.predicted_intent ?? null,
        expected_intent: summary.metadata.expected_intent ?? null,
        tool_calls: steps.length,
      },
    };
  },
});
