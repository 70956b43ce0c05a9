/**
 * Errors the task app server answers with: a status, a stable code and a message naming the fix.
 * Every error body is `{error: {code, message}}`.
 * @module
 */
import { ExitCode, SynthError } from '../errors.ts';

/** A request the server refuses, or a failure it reports, with its HTTP status. */
export class TaskAppHttpError extends SynthError {
  readonly status: number;
  readonly code: string;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, {
      ...options,
      exitCode: status >= 400 && status < 500 ? ExitCode.usage : ExitCode.failure,
    });
    this.name = 'TaskAppHttpError';
    this.status = status;
    this.code = code;
  }
}

/** The JSON body of an error answer. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Builds the JSON error body; the hint, when there is one, is appended to the message. */
export function errorBody(code: string, message: string, hint?: string): ErrorBody {
  return { error: { code, message: hint ? `${message} (${hint})` : message } };
}

/**
 * The error a client reports for an error answer, as `POST /rollout → 422: message`: what the task app
 * said, under the request it refused.
 */
export function answeredError(method: string, path: string, status: number, code: string, message: string) {
  return new TaskAppHttpError(status, code, `${method} ${path} → ${status}: ${message}`);
}

/** Formats zod issues as `path: message` lines, the path dotted (`policy.config.model`). */
export function formatIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): string {
  return issues
    .slice(0, 5)
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)'}: ${issue.message}`,
    )
    .join('; ');
}
