import { type Command, Option } from 'commander';
import { applyEnvFiles } from '../config/env-files.ts';
import { ExitCode, SynthError } from '../errors.ts';

/** Options every command takes. */
export interface CommonOptions {
  envFile: string[];
  verbose: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `--env-file` (repeatable, later files win) and `--verbose` to a command. */
export function withCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--env-file <path>', 'load variables from a .env file (repeatable; later files win)')
        .argParser(collect)
        .default([]),
    )
    .option('--verbose', 'print stack traces and debug detail', false);
}

/** Loads the command's env files into process.env; values are never printed. */
export function loadCommonEnv(options: CommonOptions): void {
  if (options.envFile.length > 0) applyEnvFiles(options.envFile);
}

/** What a command that is not built yet does: say so and exit 2, never pretend to succeed. */
export function notAvailableYet(name: string): never {
  throw new SynthError(`synth-ai ${name} is not available yet in this version`, {
    hint: 'see README.md for the commands that work today',
    exitCode: ExitCode.usage,
  });
}
