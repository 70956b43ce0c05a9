/**
 * Provider finish reasons → one union, with an explicit fallback.
 * @module
 */
import type { FinishReason } from './types.ts';

/** Maps OpenAI (`tool_calls`, `content_filter`) and Anthropic (`tool_use`, `end_turn`, `refusal`) terms. */
export function mapFinishReason(raw: string | null, hasToolCalls: boolean): FinishReason {
  switch (raw) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
    case 'eos':
      // A forced tool call comes back as `stop` from OpenAI: the answer is still tool calls.
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'length':
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_calls':
    case 'function_call':
    case 'tool_use':
      return 'tool-calls';
    case 'content_filter':
    case 'refusal':
      return 'content-filter';
    default:
      return hasToolCalls ? 'tool-calls' : 'other';
  }
}
