/**
 * Group-relative advantages (GRPO): each rollout of a group (same seed, same prompt) is scored against
 * the group's mean, scaled by the group's standard deviation. GSPO uses the same advantages; it differs
 * in how the update weighs them (one clipped importance ratio per sequence), see `policy-gradient.ts`.
 * @module
 */

export interface AdvantageOptions {
  /** Divide by the group's standard deviation (GRPO's default). */
  normalizeStd?: boolean;
  /** Added to the std so identical rewards do not divide by zero. */
  epsilon?: number;
}

/**
 * Advantages for one group of rewards. `null` rewards (unusable trajectories) get `null` and do not count
 * toward the group's mean. A group whose usable rewards are all equal gets zeros: nothing to learn from it.
 * @example groupAdvantages([1, 0, 0, 1]) // [1, -1, -1, 1] (approximately)
 */
export function groupAdvantages(
  rewards: readonly (number | null)[],
  options: AdvantageOptions = {},
): (number | null)[] {
  const usable = rewards.filter((r): r is number => r !== null && Number.isFinite(r));
  if (usable.length === 0) return rewards.map(() => null);
  const mean = usable.reduce((a, b) => a + b, 0) / usable.length;
  const variance = usable.reduce((a, b) => a + (b - mean) ** 2, 0) / usable.length;
  const std = Math.sqrt(variance);
  const scale = options.normalizeStd === false ? 1 : std + (options.epsilon ?? 1e-6);
  return rewards.map((r) => (r === null || !Number.isFinite(r) ? null : (r - mean) / scale));
}
