import type { Policy, PolicyContext, PolicyDecision } from '../../policies/types.ts';
import { type ActionSpace, actionSpaceFromTools, toolCallForLabel } from './action-space.ts';
import { featurize } from './featurize.ts';
import type { SoftmaxModel } from './softmax-model.ts';

/** A seeded uniform draw in [0, 1): mulberry32, enough for sampling actions reproducibly. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an index from probabilities: greedy at temperature 0, otherwise sampled. */
export function chooseAction(probs: Float64Array, temperature: number, random: () => number): number {
  if (temperature <= 0) {
    let best = 0;
    for (let a = 1; a < probs.length; a++) if (probs[a]! > probs[best]!) best = a;
    return best;
  }
  const sharpened = Array.from(probs, (p) => p ** (1 / temperature));
  const total = sharpened.reduce((a, b) => a + b, 0);
  let u = random() * total;
  for (let a = 0; a < sharpened.length; a++) {
    u -= sharpened[a]!;
    if (u <= 0) return a;
  }
  return sharpened.length - 1;
}

export interface LocalPolicyOptions {
  model: SoftmaxModel;
  seed: number;
  /** 0 = greedy; 1 = sample from the model's distribution. */
  temperature?: number;
  name?: string;
}

/**
 * A policy backed by a local softmax model: it reads the observation text, picks one label of the task app's
 * action tool, and writes the same chat messages an LLM policy would, so its episodes trace and filter alike.
 */
export function createLocalPolicy(options: LocalPolicyOptions): Policy {
  const random = createRandom(options.seed ^ 0x9e3779b9);
  const temperature = options.temperature ?? 1;
  let space: ActionSpace | null = null;
  return {
    name: options.name ?? 'local',
    async decide(context: PolicyContext): Promise<PolicyDecision> {
      space ??= actionSpaceFromTools(context.tools);
      if (!space)
        throw new Error('the local policy needs a tool with an enum argument (an action list or labels)');
      const labels = options.model.labels;
      if (labels.join('\n') !== space.labels.join('\n')) {
        throw new Error(
          `the checkpoint's labels do not match tool ${space.toolName}: train it on this task app`,
        );
      }
      const probs = options.model.probabilities(featurize(context.observation.text, options.model.dims));
      const action = chooseAction(probs, temperature, random);
      const call = toolCallForLabel(space, action, `call_${context.turn}_${action}`);
      return {
        messages: [
          { role: 'user', content: context.observation.text },
          { role: 'assistant', content: null, tool_calls: [call] },
        ],
        toolCalls: [call],
        llmCalls: [],
      };
    },
  };
}
