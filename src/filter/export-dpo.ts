/**
 * DPO export: among rollouts of the same seed (or, without a seed, the same first prompt), the best and the
 * worst judged become a preference pair at the first assistant turn where they differ, when their scores
 * differ by at least `minGap`. Pass one streams summaries and keeps two ids per group; pass two reads only
 * the chosen sessions, a chunk of groups at a time.
 * @module
 */
import { hash } from 'node:crypto';
import type { SessionSelection, TraceStore } from '../tracing/store.ts';
import type { ChatMessage } from '../tracing/types.ts';
import { judgeScores } from './example-metadata.ts';
import type { ExampleSink } from './example-sink.ts';
import { buildTurnExamples, readConversation } from './examples.ts';
import type { FilterCounts } from './manifest.ts';
import type { PostFilter } from './post-filter.ts';
import type { ProvenanceCollector } from './provenance.ts';
import { type FilterSession, readSessions } from './read-sessions.ts';
import { ToolsResolver } from './tools-resolver.ts';

interface Ranked {
  id: string;
  score: number;
}

interface Group {
  best: Ranked;
  worst: Ranked;
}

const CHUNK_GROUPS = 128;

/** The ranking score of a session: a judge's score by name, or `official` for the environment reward. */
function scoreOf(session: FilterSession, scoreName: string): number | undefined {
  if (scoreName === 'official') {
    const reward = session.total_reward ?? session.outcome?.total_reward;
    return typeof reward === 'number' && Number.isFinite(reward) ? reward : undefined;
  }
  return judgeScores(session.judge_metadata)[scoreName];
}

/** A message without ids, so two rollouts that said the same thing compare equal. */
function comparable(message: ChatMessage): string {
  const calls = message.tool_calls?.map((c) => [c.function.name, c.function.arguments]);
  return JSON.stringify([message.role, message.content, calls ?? null]);
}

/** The first prompt of a session (messages before its first assistant turn), hashed. */
function promptKey(messages: ChatMessage[]): string | undefined {
  const end = messages.findIndex((m) => m.role === 'assistant');
  if (end <= 0) return undefined;
  return `prompt:${hash('sha1', messages.slice(0, end).map(comparable).join('\n'))}`;
}

/** Runs both passes and writes pairs into the sink. */
export async function exportDpo(input: {
  store: TraceStore;
  selection: SessionSelection;
  postFilter: PostFilter;
  scoreName: string;
  groupBy: 'seed' | 'prompt';
  minGap: number;
  sink: ExampleSink;
  counts: FilterCounts;
  provenance: ProvenanceCollector;
}): Promise<void> {
  const { counts, sink } = input;
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const groups = new Map<string, Group>();
  const tools = new ToolsResolver(input.store);
  for await (const session of readSessions(input.store, input.selection)) {
    counts.sessionsRead++;
    const conversation = readConversation(session);
    if (!input.postFilter.accepts(conversation)) continue;
    const score = scoreOf(session, input.scoreName);
    if (score === undefined) {
      skip(`session without a ${input.scoreName} score`);
      continue;
    }
    const meta = session.metadata ?? {};
    const seed = meta.seed;
    const key =
      input.groupBy === 'seed' && (typeof seed === 'number' || typeof seed === 'string')
        ? `seed:${JSON.stringify([meta.env_name ?? null, meta.task_id ?? null, seed])}`
        : promptKey(conversation.messages);
    if (key === undefined) {
      skip('session without a prompt');
      continue;
    }
    const ranked = { id: session.session_id, score };
    const group = groups.get(key);
    if (!group) groups.set(key, { best: ranked, worst: ranked });
    else if (score > group.best.score) group.best = ranked;
    else if (score < group.worst.score) group.worst = ranked;
  }
  const chosen: Group[] = [];
  for (const group of groups.values()) {
    if (group.best.id === group.worst.id) skip('group with one rollout (or all scores equal)');
    else if (group.best.score - group.worst.score < input.minGap) skip('score gap below min_gap');
    else chosen.push(group);
  }
  counts.dpo = { groups: groups.size, pairs: 0, skipped };
  groups.clear();
  for (let i = 0; i < chosen.length && !sink.full; i += CHUNK_GROUPS) {
    const chunk = chosen.slice(i, i + CHUNK_GROUPS);
    const ids = chunk.flatMap((g) => [g.best.id, g.worst.id]);
    const sessions = new Map<string, FilterSession>();
    for await (const s of readSessions(input.store, { sessionIds: ids })) sessions.set(s.session_id, s);
    for (const group of chunk) {
      const best = sessions.get(group.best.id);
      const worst = sessions.get(group.worst.id);
      if (!best || !worst) {
        skip('session vanished between passes');
        continue;
      }
      const pair = buildPair(best, worst);
      if (pair && !pair.input.tools) {
        const found = await tools.resolve(best, undefined);
        if (found) pair.input.tools = found;
      }
      if (!pair) {
        skip('rollouts never differ at an assistant turn after a shared prompt');
        continue;
      }
      input.provenance.add(best.judge_metadata);
      input.provenance.add(worst.judge_metadata);
      const metadata = sink.metadataJson({
        score_name: input.scoreName,
        gap: group.best.score - group.worst.score,
        preferred: { session_id: best.session_id, score: group.best.score },
        non_preferred: { session_id: worst.session_id, score: group.worst.score },
        seed: best.metadata?.seed ?? null,
        env_name: best.metadata?.env_name ?? null,
      });
      if (sink.push(pair, metadata)) {
        counts.dpo.pairs++;
        counts.sessionsUsed += 2;
      }
      if (sink.full) break;
    }
  }
}

/**
 * The pair at the first assistant turn where the two rollouts differ: the input is that turn's context
 * (as turn mode builds it, from the preferred rollout), the outputs are the two assistant messages.
 */
function buildPair(
  best: FilterSession,
  worst: FilterSession,
): {
  input: { messages: ChatMessage[]; tools?: unknown };
  preferred_output: ChatMessage[];
  non_preferred_output: ChatMessage[];
} | null {
  const a = readConversation(best);
  const b = readConversation(worst);
  const n = Math.min(a.messages.length, b.messages.length);
  let at = 0;
  while (at < n && comparable(a.messages[at]!) === comparable(b.messages[at]!)) at++;
  if (at >= n) return null;
  const preferred = a.messages[at]!;
  const rejected = b.messages[at]!;
  if (preferred.role !== 'assistant' || rejected.role !== 'assistant') return null;
  const turn = buildTurnExamples({ ...a, messages: a.messages.slice(0, at + 1) }).at(-1);
  if (!turn || turn.messages.length < 2) return null;
  const input: { messages: ChatMessage[]; tools?: unknown } = { messages: turn.messages.slice(0, -1) };
  const tools = a.tools ?? b.tools;
  if (tools) input.tools = tools;
  return { input, preferred_output: [preferred], non_preferred_output: [rejected] };
}
