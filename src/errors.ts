/**
 * Errors a user can cause carry the fix with them; the CLI prints them as one line and picks the exit code.
 * @module
 */

/** Exit codes shared by every command. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const MARKER = Symbol.for('synth-ai.error');

/** Base error: `message` names the problem, `hint` names the fix. */
export class SynthError extends Error {
  readonly [MARKER] = true;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { hint?: string; cause?: unknown; exitCode?: ExitCode } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SynthError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.failure;
  }

  /** Works across copies of the package, unlike `instanceof`. */
  static isInstance(value: unknown): value is SynthError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }

  /** The single line the CLI prints. */
  oneLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** Bad config, flags or arguments: exit 2. */
export class UsageError extends SynthError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}

/** A config file that does not validate; `problems` lists every issue found, one line each. */
export class ConfigError extends UsageError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options: { hint?: string } = {}) {
    super(
      problems.length === 1 ? problems[0]! : `${problems.length} config problems: ${problems.join('; ')}`,
      options,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
