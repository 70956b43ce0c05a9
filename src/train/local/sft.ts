import type { ChatMessage } from '../../tracing/types.ts';
import { type ActionSpace, labelsOfToolCall } from './action-space.ts';
import { type Features, featurize } from './featurize.ts';
import { createRandom } from './local-policy.ts';
import { SoftmaxModel } from './softmax-model.ts';

/** One line of an SFT JSONL file, as the filter writes it. */
export interface SftExample {
  messages: ChatMessage[];
}

export interface SftOptions {
  space: ActionSpace;
  dims?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  /** Start from this model instead of zeros. */
  initial?: SoftmaxModel;
}

export interface SftResult {
  model: SoftmaxModel;
  /** (features, label) pairs extracted from the examples. */
  samples: number;
  /** Examples with no usable assistant tool call for this action space. */
  skipped: number;
  /** Mean cross-entropy per epoch. */
  losses: number[];
}

/** The text parts of a message's content, joined: what the local model reads. */
export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
}

/** Pairs of (what the user turn said, which labels the assistant chose) from chat examples. */
export function extractSamples(examples: Iterable<SftExample>, space: ActionSpace, dims: number) {
  const samples: { features: Features; label: number }[] = [];
  let skipped = 0;
  for (const example of examples) {
    let lastUser = '';
    let used = false;
    for (const message of example.messages) {
      if (message.role === 'user') lastUser = textOf(message.content);
      if (message.role !== 'assistant' || !message.tool_calls || !lastUser) continue;
      const features = featurize(lastUser, dims);
      for (const call of message.tool_calls) {
        for (const label of labelsOfToolCall(space, call)) {
          samples.push({ features, label });
          used = true;
        }
      }
    }
    if (!used) skipped++;
  }
  return { samples, skipped };
}

/** Supervised fine-tuning of a local softmax policy on chat examples (cross-entropy, SGD, shuffled epochs). */
export function trainSft(examples: Iterable<SftExample>, options: SftOptions): SftResult {
  const dims = options.initial?.dims ?? options.dims ?? 4096;
  const { samples, skipped } = extractSamples(examples, options.space, dims);
  const model = options.initial?.clone() ?? new SoftmaxModel(options.space.labels, dims);
  const random = createRandom(options.seed ?? 0);
  const order = samples.map((_, i) => i);
  const losses: number[] = [];
  for (let epoch = 0; epoch < (options.epochs ?? 5); epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const index of order) {
      const { features, label } = samples[index]!;
      const probs = model.probabilities(features);
      loss -= Math.log(Math.max(probs[label]!, 1e-12));
      model.step(features, label, 1, options.learningRate ?? 0.5, probs);
    }
    losses.push(samples.length ? loss / samples.length : 0);
  }
  return { model, samples: samples.length, skipped, losses };
}
