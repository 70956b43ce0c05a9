import type { SessionTrace } from '../tracing/types.ts';
import { type EpisodeStep, episodeSteps } from './episode-steps.ts';

/** How to render a trace for a judge. */
export interface RenderOptions {
  /** Token budget of the rendered episode (≈ 4 characters a token). @default 6000 */
  tokenBudget?: number;
  /** Characters kept of each observation / result. @default 1200 */
  maxFieldChars?: number;
  /** Steps always kept in full at the start and at the end. @default 3 and 5 */
  keepFirst?: number;
  keepLast?: number;
  /** Pass image parts to the judge (at most `maxImages`, first and last first). @default false, 2 */
  includeImages?: boolean;
  maxImages?: number;
}

/** A trace rendered for a judge: compact text, optional images, and whether it had to be condensed. */
export interface RenderedTrace {
  text: string;
  images: string[];
  tokens: number;
  totalSteps: number;
  condensed: boolean;
  /** Each step in full form (for event judging). */
  stepTexts: string[];
}

/** A rough token count: 4 characters a token, which over-counts code and JSON a little. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function clip(text: string, max: number): string {
  const flat = text.trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}… [${flat.length - max} chars cut]`;
}

function fmtReward(r: number | null): string {
  return r === null ? 'n/a' : String(Math.round(r * 1000) / 1000);
}

/** A step in full: observation, actions, results, reward. */
export function renderStep(step: EpisodeStep, maxFieldChars = 1200): string {
  const lines = [`### step ${step.index}`];
  if (step.observation) lines.push(`observation:\n${clip(step.observation, maxFieldChars)}`);
  lines.push(`action: ${step.actions.length ? step.actions.join('; ') : 'none'}`);
  for (const r of step.results) lines.push(`result: ${clip(r, Math.floor(maxFieldChars / 2))}`);
  lines.push(`reward: ${fmtReward(step.reward)}${step.done ? ' (episode ended)' : ''}`);
  return lines.join('\n');
}

function condensedStep(step: EpisodeStep): string {
  const act = step.actions.length ? clip(step.actions.join('; '), 160) : 'none';
  return `step ${step.index}: ${act} → reward ${fmtReward(step.reward)}${step.done ? ' (ended)' : ''}`;
}

function header(trace: SessionTrace, steps: readonly EpisodeStep[]): string {
  const m = trace.metadata ?? {};
  const total = steps.reduce((s, x) => s + (x.reward ?? 0), 0);
  const parts = [`episode: ${steps.length} steps, total step reward ${fmtReward(total)}`];
  for (const key of ['env_name', 'task_id', 'task_split', 'seed']) {
    if (m[key] !== undefined && m[key] !== null) parts.push(`${key}: ${String(m[key])}`);
  }
  if (trace.outcome) {
    parts.push(
      `outcome total_reward: ${trace.outcome.total_reward}, achievements: ${trace.outcome.achievements_count}`,
    );
    const fa = trace.outcome.reward_metadata?.final_achievements;
    if (fa !== undefined) parts.push(`final achievements: ${clip(JSON.stringify(fa), 400)}`);
  }
  return parts.join('\n');
}

/**
 * Renders an episode compactly within a token budget. Long episodes keep their first and last steps in
 * full, condense the middle to one line a step, and if that is still too long keep an even sample of the
 * middle lines with a note of what was left out. Session ids are left out so equal episodes render equally.
 */
export function renderTrace(trace: SessionTrace, options: RenderOptions = {}): RenderedTrace {
  const budget = options.tokenBudget ?? 6000;
  const maxField = options.maxFieldChars ?? 1200;
  const steps = episodeSteps(trace);
  const stepTexts = steps.map((s) => renderStep(s, maxField));
  const head = header(trace, steps);
  const images = options.includeImages ? pickImages(steps, options.maxImages ?? 2) : [];
  const full = [head, ...stepTexts].join('\n\n');
  if (estimateTokens(full) <= budget) {
    return {
      text: full,
      images,
      tokens: estimateTokens(full),
      totalSteps: steps.length,
      condensed: false,
      stepTexts,
    };
  }
  const first = Math.min(options.keepFirst ?? 3, steps.length);
  const last = Math.min(options.keepLast ?? 5, steps.length - first);
  const middle = steps.slice(first, steps.length - last);
  const fixed = [head, ...stepTexts.slice(0, first), ...stepTexts.slice(steps.length - last)];
  const room = budget * 4 - fixed.join('\n\n').length - 200;
  let lines = middle.map(condensedStep);
  let note = '';
  if (lines.join('\n').length > room && lines.length > 0) {
    const avg = lines.join('\n').length / lines.length;
    const keep = Math.max(0, Math.min(lines.length, Math.floor(room / avg)));
    const picked = new Set<number>();
    for (let i = 0; i < keep; i += 1) picked.add(Math.floor((i * lines.length) / keep));
    const omitted = middle.filter((_, i) => !picked.has(i));
    const omittedReward = omitted.reduce((s, x) => s + (x.reward ?? 0), 0);
    note = `[${omitted.length} middle steps omitted; their rewards sum to ${fmtReward(omittedReward)}]`;
    lines = lines.filter((_, i) => picked.has(i));
  }
  const mid = `## middle steps ${first}–${steps.length - last - 1}, condensed\n${[...lines, note].filter(Boolean).join('\n')}`;
  const text = [head, ...stepTexts.slice(0, first), mid, ...stepTexts.slice(steps.length - last)].join(
    '\n\n',
  );
  return { text, images, tokens: estimateTokens(text), totalSteps: steps.length, condensed: true, stepTexts };
}

function pickImages(steps: readonly EpisodeStep[], max: number): string[] {
  const all = steps.flatMap((s) => s.images);
  if (all.length <= max) return all;
  const head = all.slice(0, Math.ceil(max / 2));
  return [...head, ...all.slice(all.length - (max - head.length))];
}
