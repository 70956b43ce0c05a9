import type { JsonValue, SessionTrace } from '../tracing/types.ts';
import { episodeSteps } from './episode-steps.ts';

/** What the Crafter verifier reads from each step: health, position, achievements unlocked so far, inventory. */
export interface CrafterStepState {
  health: number | null;
  position: string | null;
  achievements: Set<string>;
  inventory: Record<string, number>;
  action: string;
}

function obj(v: JsonValue | undefined): Record<string, JsonValue> | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

function achievementNames(v: JsonValue | undefined): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  const o = obj(v);
  return o
    ? Object.entries(o)
        .filter(([, n]) => (typeof n === 'number' ? n > 0 : n === true))
        .map(([k]) => k)
    : [];
}

/** Reads Crafter state from a recorded environment state (JSON) or, failing that, the observation text. */
function stateOf(
  stateAfter: JsonValue | undefined,
  observation: string,
  previous: Set<string>,
): Omit<CrafterStepState, 'action'> {
  const s = obj(stateAfter);
  const inv = obj(s?.inventory as JsonValue) ?? {};
  const inventory: Record<string, number> = {};
  for (const [k, v] of Object.entries(inv)) if (typeof v === 'number') inventory[k] = v;
  let health = typeof s?.health === 'number' ? s.health : (inventory.health ?? null);
  const posRaw = s?.player_pos ?? s?.position ?? s?.pos;
  let position = Array.isArray(posRaw) ? posRaw.join(',') : null;
  const achievements = new Set(previous);
  for (const a of achievementNames((s?.achievements ?? s?.unlocked_achievements) as JsonValue))
    achievements.add(a);
  if (health === null) {
    const m = /Health:\s*(-?\d+(?:\.\d+)?)/i.exec(observation);
    if (m) health = Number(m[1]);
  }
  if (position === null) {
    const m = /Position:\s*\[?\s*(-?\d+)\s*,\s*(-?\d+)/i.exec(observation);
    if (m) position = `${m[1]},${m[2]}`;
  }
  const am = /Achievements:\s*([^\n]+)/i.exec(observation);
  if (am?.[1] && !/^none/i.test(am[1].trim())) {
    for (const a of am[1].split(',')) if (a.trim()) achievements.add(a.trim().split(/[:\s]/)[0] as string);
  }
  if (Object.keys(inventory).length === 0) {
    const im = /Inventory:\s*([^\n]+)/i.exec(observation);
    for (const part of im?.[1]?.split(',') ?? []) {
      const [k, v] = part.split(':').map((x) => x.trim());
      if (k && v && Number.isFinite(Number(v))) inventory[k] = Number(v);
    }
  }
  return { health, position, achievements, inventory };
}

/** The per-step Crafter state of an episode, with achievements accumulated over the episode. */
export function crafterStates(trace: SessionTrace): CrafterStepState[] {
  let seen = new Set<string>();
  const out: CrafterStepState[] = [];
  for (const step of episodeSteps(trace)) {
    const st = stateOf(step.stateAfter, step.observation, seen);
    seen = st.achievements;
    out.push({ ...st, action: step.actions.join('; ') });
  }
  const fa = trace.outcome?.reward_metadata?.final_achievements as JsonValue | undefined;
  const last = out.at(-1);
  if (last) for (const a of achievementNames(fa)) last.achievements.add(a);
  return out;
}
