/**
 * OpenAI chat form ⇄ Anthropic messages form. System messages become `system`; tool results become
 * `tool_result` blocks in a user turn; image URLs become `image` blocks (data URLs as base64 sources);
 * `tool_use` blocks come back as OpenAI tool calls with JSON-string arguments.
 * @module
 */
import type { ChatMessage, ContentPart } from '../tracing/types.ts';

type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

function imageBlock(url: string): Block {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } };
  return { type: 'image', source: { type: 'url', url } };
}

function contentBlocks(content: string | ContentPart[] | null): Block[] {
  if (content === null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return content.map((part) =>
    part.type === 'text' ? { type: 'text', text: part.text } : imageBlock(part.image_url.url),
  );
}

function textOf(content: string | ContentPart[] | null): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');
}

/** Converts chat messages; `warnings` lists anything that could not be carried over exactly. */
export function toAnthropicMessages(messages: ChatMessage[]): {
  system: string | undefined;
  messages: AnthropicMessage[];
  warnings: string[];
} {
  const system: string[] = [];
  const out: AnthropicMessage[] = [];
  const warnings: string[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    const last = out[out.length - 1];
    // Anthropic wants alternating turns: consecutive same-role turns are merged.
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'system') {
      system.push(textOf(m.content));
    } else if (m.role === 'user') {
      push('user', contentBlocks(m.content));
    } else if (m.role === 'assistant') {
      const blocks = contentBlocks(m.content);
      for (const call of m.tool_calls ?? []) {
        let input: unknown = {};
        try {
          input = JSON.parse(call.function.arguments || '{}');
        } catch {
          warnings.push(`tool call ${call.id} has invalid JSON arguments; sent as {}`);
        }
        if (!input || typeof input !== 'object' || Array.isArray(input)) input = {};
        blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input });
      }
      push('assistant', blocks);
    } else {
      const result: Block = { type: 'tool_result', tool_use_id: m.tool_call_id ?? '' };
      result.content = typeof m.content === 'string' ? m.content : contentBlocks(m.content);
      push('user', [result]);
    }
  }
  return { system: system.length ? system.join('\n\n') : undefined, messages: out, warnings };
}
