/**
 * Finds the `tools` an example should carry. Messages and session metadata are checked first (free: they
 * come with the stream). Otherwise the tools sit in the LM call records (`request_params.tools`) of the
 * session's `cais` events, which the message stream does not carry; reading a whole session per line would
 * multiply the export's cost, so one session per (env, policy, model) is read and its tools reused for the
 * others: a task app offers the same tools to every rollout.
 * @module
 */
import type { SessionSummary, TraceStore } from '../tracing/store.ts';
import type { ToolDefinition } from '../tracing/types.ts';
import { mapToolDefinitions } from './tool-calls.ts';

/** Resolves and caches tool definitions per (env_name, policy_name, model). */
export class ToolsResolver {
  readonly #store: TraceStore;
  readonly #cache = new Map<string, ToolDefinition[] | undefined>();

  constructor(store: TraceStore) {
    this.#store = store;
  }

  /** The tools for a session whose messages had none (`found`), or undefined when the trace has none. */
  async resolve(
    session: SessionSummary,
    found: ToolDefinition[] | undefined,
  ): Promise<ToolDefinition[] | undefined> {
    if (found) return found;
    if (session.num_events === 0) return undefined;
    const meta = session.metadata ?? {};
    const key = JSON.stringify([meta.env_name ?? null, meta.policy_name ?? null, meta.model ?? null]);
    if (this.#cache.has(key)) return this.#cache.get(key);
    const trace = await this.#store.getSession(session.session_id);
    let tools: ToolDefinition[] | undefined;
    for (const event of trace?.event_history ?? []) {
      if (event.event_type !== 'cais') continue;
      for (const record of event.call_records ?? []) {
        tools = mapToolDefinitions(record.request_params?.tools);
        if (tools) break;
      }
      if (tools) break;
    }
    this.#cache.set(key, tools);
    return tools;
  }
}
