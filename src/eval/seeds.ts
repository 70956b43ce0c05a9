/** The seeds evaluated when neither the flag nor the config names any (synth-ai's default). */
export const DEFAULT_SEEDS: readonly number[] = [0, 1, 2, 3, 4];

/** `0, 1, 2` for short lists; the first and last few otherwise, so a 1-1000 run prints one short line. */
export function formatSeedList(seeds: readonly number[], max = 20): string {
  if (seeds.length <= max) return seeds.join(', ');
  const head = seeds.slice(0, 10).join(', ');
  const tail = seeds.slice(-3).join(', ');
  return `${head}, ... ${tail} (${seeds.length} seeds)`;
}
