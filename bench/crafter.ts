/**
 * Crafter port throughput and random-agent success rates.
 *   npx tsx bench/crafter.ts [--episodes N] [--json]
 * Steps per second are measured on one core with a uniformly random policy and no rendering; world
 * generation (reset) is timed apart, since it is OpenSimplex-bound and happens once per episode.
 */
import { ACHIEVEMENTS } from '../src/apps/crafter/constants.ts';
import { CrafterEngine } from '../src/apps/crafter/engine.ts';
import { Rng } from '../src/apps/crafter/rng.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const at = args.indexOf('--episodes');
const episodes = at >= 0 ? Number(args[at + 1]) : 200;
if (!Number.isInteger(episodes) || episodes < 1) {
  console.error('--episodes must be a positive integer (e.g. --episodes 1000)');
  process.exit(2);
}
const TARGET = 20000;
/**
 * Published random agent (Hafner 2021): danijar/crafter `scores/crafter_noreward-random.json`, run seed 0.
 * Success rate = share of the first `n` episodes of that run with a non-zero count, counted by hand from the
 * file (so each figure carries a binomial margin); mean length from its cumulative step list (2,071 episodes
 * end by step 345,848). Iron tools and diamonds never occur in it.
 */
const PUBLISHED: Record<string, [rate: number, n: number]> = {
  collect_wood: [0.257, 300],
  collect_drink: [0.08, 200],
  collect_sapling: [0.52, 100],
  place_plant: [0.48, 100],
  wake_up: [0.94, 100],
  place_table: [0.06, 500],
  make_iron_pickaxe: [0, 5700],
  make_iron_sword: [0, 5700],
};
const PUBLISHED_MEAN_LENGTH = 167;

const unlocked = new Array(ACHIEVEMENTS.length).fill(0);
let steps = 0;
let stepMs = 0;
let resetMs = 0;
for (let seed = 0; seed < episodes; seed++) {
  const t0 = performance.now();
  const engine = new CrafterEngine({ seed });
  const t1 = performance.now();
  const rng = new Rng(seed, 0x5eed);
  while (!engine.done) engine.stepAction(rng.randint(17));
  stepMs += performance.now() - t1;
  resetMs += t1 - t0;
  steps += engine.step;
  engine.unlocked.forEach((u, i) => {
    unlocked[i] += u;
  });
}
const stepsPerSecond = Math.round(steps / (stepMs / 1000));
const withResets = Math.round(steps / ((stepMs + resetMs) / 1000));
const successRates = Object.fromEntries(ACHIEVEMENTS.map((a, i) => [a, unlocked[i] / episodes]));
console.log(
  `episodes ${episodes}, mean length ${(steps / episodes).toFixed(1)} (published random agent ~${PUBLISHED_MEAN_LENGTH})`,
);
console.log(
  `steps/s (engine, no render): ${stepsPerSecond}  = ${(stepsPerSecond / TARGET).toFixed(2)}x the ${TARGET} target`,
);
console.log(`steps/s including world generation: ${withResets}; reset ${(resetMs / episodes).toFixed(2)} ms`);
console.log('achievement          ours%   published% (±95% margin, n episodes)');
for (const [a, [rate, n]] of Object.entries(PUBLISHED)) {
  const margin = 1.96 * Math.sqrt((rate * (1 - rate)) / n);
  const pub = `${(100 * rate).toFixed(1)} ±${(100 * margin).toFixed(1)} (n ${n})`;
  console.log(`${a.padEnd(20)} ${(100 * successRates[a]!).toFixed(1).padStart(5)}   ${pub}`);
}

if (json) {
  console.log(
    JSON.stringify({
      episodes,
      mean_length: steps / episodes,
      success_rates: successRates,
      steps_per_second: stepsPerSecond,
      steps_per_second_with_reset: withResets,
      reset_ms: resetMs / episodes,
    }),
  );
}
