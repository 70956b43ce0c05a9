import { Command, CommanderError } from 'commander';
import { ExitCode, SynthError } from '../errors.ts';
import { VERSION } from '../version.ts';
import { registerDemoCommand } from './demo.ts';
import { registerEvalCommand } from './eval.ts';
import { registerFilterCommand } from './filter.ts';
import { registerJudgeCommand } from './judge.ts';
import { colors } from './output.ts';
import { registerServeCommand } from './serve.ts';
import { registerTrainCommand } from './train.ts';

/** Builds the command tree; each command lives in its own file and calls into the library. */
export function createProgram(): Command {
  const program = new Command('synth-ai')
    .description('Post-train LLM agents: roll out, trace, judge, filter, train.')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  registerEvalCommand(program);
  registerFilterCommand(program);
  registerJudgeCommand(program);
  registerTrainCommand(program);
  registerServeCommand(program);
  registerDemoCommand(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage or config error. */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const program = createProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    return reportError(error, verbose);
  }
}

function reportError(error: unknown, verbose: boolean): number {
  const c = colors();
  if (error instanceof CommanderError) {
    // Commander has already printed its one line (or the help text).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    if (error.code === 'commander.help') return ExitCode.ok;
    return ExitCode.usage;
  }
  if (SynthError.isInstance(error)) {
    process.stderr.write(`${c.red('error:')} ${error.oneLine()}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `${c.red('error:')} ${message}${verbose ? '' : ' (this looks like a bug: rerun with --verbose for the stack trace)'}\n`,
  );
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return ExitCode.failure;
}
