/**
 * Driver errors on write, turned into one line that names the session and the fix.
 * @module
 */
import { SynthError } from '../../errors.ts';

/** Turns driver errors into one line that names the session and the fix. */
export function explainWriteError(error: unknown, sessionId: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (/UNIQUE constraint failed: session_traces\.session_id/.test(message)) {
    return new SynthError(`session ${sessionId} is already in the trace DB`, {
      hint: 'give each rollout its own session id',
      cause: error,
    });
  }
  if (/CHECK constraint failed/.test(message)) {
    return new SynthError(`session ${sessionId} breaks a trace DB rule: ${message}`, {
      hint: 'message types are user|assistant|system|tool_use|tool_result; event types cais|environment|runtime',
      cause: error,
    });
  }
  return error;
}
