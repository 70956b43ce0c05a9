/**
 * Reads a `POST /rollout` body: malformed JSON is a 400, a body that breaks the schema a 422 naming the
 * field paths.
 * @module
 */
import { formatIssues, TaskAppHttpError } from './http-error.ts';
import { type RolloutRequest, RolloutRequestSchema } from './rollout-contract.ts';

/** Parses and validates a rollout request body (defaults applied). */
export function parseRolloutRequest(text: string): RolloutRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TaskAppHttpError(400, 'invalid_json', 'request body is not valid JSON', {
      hint: 'send a JSON RolloutRequest with Content-Type: application/json',
    });
  }
  const parsed = RolloutRequestSchema.safeParse(body);
  if (!parsed.success) throw new TaskAppHttpError(422, 'invalid_request', formatIssues(parsed.error.issues));
  return parsed.data;
}
