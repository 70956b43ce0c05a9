import {
  type MockProvider,
  type MockReply,
  type MockRequest,
  startMockProvider,
} from '../../../src/testing/index.ts';

/** The criterion ids a judge request asks for, read from its JSON schema (response_format or forced tool). */
export function requestedSchema(body: Record<string, unknown> | undefined): {
  ids: string[];
  event: boolean;
  mode: 'json' | 'tool';
} {
  const rf = body?.response_format as { json_schema?: { schema?: Record<string, unknown> } } | undefined;
  const tool = (
    body?.tools as
      | { function?: { parameters?: Record<string, unknown> }; input_schema?: Record<string, unknown> }[]
      | undefined
  )?.[0];
  // biome-ignore lint/suspicious/noExplicitAny: reading wire JSON in a test
  type Loose = Record<string, any>;
  const schema = (rf?.json_schema?.schema ?? tool?.function?.parameters ?? tool?.input_schema) as
    | Loose
    | undefined;
  const event = Boolean(schema?.properties?.steps);
  const crit = event ? schema?.properties?.steps?.items?.properties?.criteria : schema?.properties?.criteria;
  return { ids: crit?.items?.properties?.id?.enum ?? [], event, mode: rf ? 'json' : 'tool' };
}

/** The user text of a request (OpenAI or Anthropic form). */
export function userText(req: MockRequest): string {
  const msgs = (req.body?.messages ?? []) as { role: string; content: unknown }[];
  return msgs
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
}

/** A valid verdict reply giving every criterion `score` (steps from "Grade each of the steps 0, 1, 2"). */
export function verdictReply(req: MockRequest, score: number): MockReply {
  const { ids, event, mode } = requestedSchema(req.body);
  const criteria = ids.map((id) => ({ id, score, reason: `mock reason for ${id}` }));
  let payload: Record<string, unknown>;
  if (event) {
    const m = /Grade each of the steps ([\d, ]+) of/.exec(userText(req));
    const steps = (m?.[1] ?? '').split(',').map((s) => Number(s.trim()));
    payload = { steps: steps.map((step) => ({ step, criteria })) };
  } else {
    payload = { criteria, overall_score: score, reasoning: 'mock reasoning' };
  }
  return mode === 'tool'
    ? {
        type: 'message',
        content: null,
        toolCalls: [{ name: 'submit_verdict', arguments: payload }],
        usage: { prompt: 1000, completion: 100 },
      }
    : { type: 'message', content: JSON.stringify(payload), usage: { prompt: 1000, completion: 100 } };
}

/** A mock provider answering every judge request with a valid verdict of `score`. */
export async function startJudgeMock(
  score = 0.8,
  options: { latencyMs?: number } = {},
): Promise<MockProvider> {
  return startMockProvider({ latencyMs: options.latencyMs, handler: (req) => verdictReply(req, score) });
}
