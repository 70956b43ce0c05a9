import type { Features } from './featurize.ts';

/** A serialisable snapshot of a softmax model. */
export interface SoftmaxModelState {
  kind: 'softmax-linear';
  labels: string[];
  dims: number;
  /** Row-major [labels × dims] float32 weights, base64 (a JSON array would be ten times larger). */
  weights: string;
}

/**
 * A linear softmax classifier over hashed features: small enough to train on a CPU in seconds, and a real
 * learner, so SFT and RL runs change its behaviour measurably.
 */
export class SoftmaxModel {
  readonly labels: readonly string[];
  readonly dims: number;
  readonly weights: Float32Array;

  constructor(labels: readonly string[], dims: number, weights?: Float32Array) {
    if ((dims & (dims - 1)) !== 0) throw new Error(`dims must be a power of two, got ${dims}`);
    this.labels = labels;
    this.dims = dims;
    this.weights = weights ?? new Float32Array(labels.length * dims);
  }

  /** Action probabilities for these features. */
  probabilities(features: Features): Float64Array {
    const logits = new Float64Array(this.labels.length);
    for (let a = 0; a < logits.length; a++) {
      const row = a * this.dims;
      let z = 0;
      for (let i = 0; i < features.indices.length; i++)
        z += this.weights[row + features.indices[i]!]! * features.values[i]!;
      logits[a] = z;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (const z of logits) max = Math.max(max, z);
    let sum = 0;
    for (let a = 0; a < logits.length; a++) {
      logits[a] = Math.exp(logits[a]! - max);
      sum += logits[a]!;
    }
    for (let a = 0; a < logits.length; a++) logits[a] = logits[a]! / sum;
    return logits;
  }

  /**
   * One gradient step on `scale · log π(action | features)`: scale 1 is supervised learning (cross-entropy),
   * scale = advantage is the policy gradient.
   */
  step(
    features: Features,
    action: number,
    scale: number,
    learningRate: number,
    probs = this.probabilities(features),
  ): void {
    for (let a = 0; a < this.labels.length; a++) {
      const gradient = ((a === action ? 1 : 0) - probs[a]!) * scale * learningRate;
      if (gradient === 0) continue;
      const row = a * this.dims;
      for (let i = 0; i < features.indices.length; i++) {
        const w = row + features.indices[i]!;
        this.weights[w] = this.weights[w]! + gradient * features.values[i]!;
      }
    }
  }

  clone(): SoftmaxModel {
    return new SoftmaxModel(this.labels, this.dims, new Float32Array(this.weights));
  }

  toJSON(): SoftmaxModelState {
    return {
      kind: 'softmax-linear',
      labels: [...this.labels],
      dims: this.dims,
      weights: Buffer.from(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength).toString(
        'base64',
      ),
    };
  }

  static fromJSON(state: SoftmaxModelState): SoftmaxModel {
    const bytes = state.kind === 'softmax-linear' ? Buffer.from(state.weights, 'base64') : Buffer.alloc(0);
    if (bytes.byteLength !== state.labels.length * state.dims * 4) {
      throw new Error('not a softmax-linear checkpoint, or its weights do not match its labels and dims');
    }
    const weights = new Float32Array(state.labels.length * state.dims);
    new Uint8Array(weights.buffer).set(bytes);
    return new SoftmaxModel(state.labels, state.dims, weights);
  }
}
