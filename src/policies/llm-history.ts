/**
 * The short memory an LLM policy shows the model: its last few tool calls, most recent first, each
 * with its reward and a trimmed tool result, so it can see what worked and recover from rejected calls.
 * @module
 */
import type { PolicyTurn } from './types.ts';

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
};

/** `Previous tool calls (most recent first):` and up to `length` lines (or `- none`). */
export function renderToolHistory(history: readonly PolicyTurn[], length: number): string {
  if (length <= 0) return '';
  const lines: string[] = [];
  for (const turn of history.slice(-length).reverse()) {
    const calls = turn.toolCalls
      .map((c) => `${c.function.name}: ${oneLine(c.function.arguments, 500)}`)
      .join(' + ');
    const result = turn.toolResult ? `; result: ${oneLine(turn.toolResult, 300)}` : '';
    lines.push(`- ${calls || 'no call'} (reward ${Number(turn.reward.toFixed(3))}${result})`);
  }
  return `Previous tool calls (most recent first):\n${lines.length ? lines.join('\n') : '- none'}`;
}
