import type { Features } from './featurize.ts';
import type { SoftmaxModel } from './softmax-model.ts';

/** One decision of a rollout, with the probability the behaviour policy gave the chosen action. */
export interface Decision {
  features: Features;
  action: number;
  oldProbability: number;
  /** This decision's own advantage (step rewards); otherwise the sequence's. */
  advantage?: number;
}

/** One rollout: its decisions and its group-relative advantage. */
export interface ScoredSequence {
  decisions: Decision[];
  advantage: number;
}

export interface PolicyGradientOptions {
  /** `grpo`: a clipped ratio per decision; `gspo`: one length-normalised, clipped ratio per sequence. */
  variety: 'grpo' | 'gspo';
  learningRate: number;
  /** PPO-style clip range ε: ratios outside [1-ε, 1+ε] stop contributing. */
  clip?: number;
  /** Passes over the batch; the ratios start to matter from the second pass on. */
  epochs?: number;
}

function clipped(ratio: number, advantage: number, clip: number): boolean {
  return (advantage > 0 && ratio > 1 + clip) || (advantage < 0 && ratio < 1 - clip);
}

/**
 * Updates the model in place from scored sequences. Returns the fraction of decisions whose update was
 * clipped on the last pass (a health signal: near 1 means the step size is too large).
 */
export function policyGradientUpdate(
  model: SoftmaxModel,
  batch: readonly ScoredSequence[],
  options: PolicyGradientOptions,
): { clippedFraction: number } {
  const clip = options.clip ?? 0.2;
  let clippedCount = 0;
  let total = 0;
  for (let epoch = 0; epoch < (options.epochs ?? 2); epoch++) {
    clippedCount = 0;
    total = 0;
    for (const sequence of batch) {
      if (sequence.decisions.length === 0) continue;
      const scale = 1 / sequence.decisions.length;
      const probs = sequence.decisions.map((d) => model.probabilities(d.features));
      let sequenceRatio = 1;
      if (options.variety === 'gspo') {
        let logRatio = 0;
        sequence.decisions.forEach((d, i) => {
          logRatio += Math.log(Math.max(probs[i]![d.action]!, 1e-12) / Math.max(d.oldProbability, 1e-12));
        });
        sequenceRatio = Math.exp(logRatio / sequence.decisions.length);
      }
      sequence.decisions.forEach((d, i) => {
        const advantage = d.advantage ?? sequence.advantage;
        if (advantage === 0) return;
        total++;
        const ratio =
          options.variety === 'gspo'
            ? sequenceRatio
            : probs[i]![d.action]! / Math.max(d.oldProbability, 1e-12);
        if (clipped(ratio, advantage, clip)) {
          clippedCount++;
          return;
        }
        // The gradient of ratio·A is ratio·A·∇log π; the 1/length keeps long episodes from dominating.
        model.step(d.features, d.action, advantage * ratio * scale, options.learningRate, probs[i]);
      });
    }
  }
  return { clippedFraction: total ? clippedCount / total : 0 };
}
