import { Command, CommanderError } from 'commander';
import { ExitCode, SynthError } from '../errors.ts';
import { VERSION } from '../version.ts';
import { colors } from './output.ts';

type Register = (program: Command) => void;

/**
 * Each command's module, in the order help lists them, loaded only when its command runs (all of them for
 * help or a mistyped command). Together they load the provider SDKs, the HTTP server and every schema: ~0.7 s
 * and ~110 MB before any work, against ~0.2 s and ~70 MB for `filter` alone.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  eval: async () => (await import('./eval.ts')).registerEvalCommand,
  filter: async () => (await import('./filter.ts')).registerFilterCommand,
  judge: async () => (await import('./judge.ts')).registerJudgeCommand,
  train: async () => (await import('./train.ts')).registerTrainCommand,
  serve: async () => (await import('./serve.ts')).registerServeCommand,
  demo: async () => (await import('./demo.ts')).registerDemoCommand,
};

/** The command `argv` names (its first word that is not an option), if it is one of ours. */
function commandIn(argv: readonly string[]): string | undefined {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? word : undefined;
}

/**
 * Builds the command tree for `argv`: the command it names, or every command. Each command lives in its
 * own file and calls into the library.
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('synth-ai')
    .description('Post-train LLM agents: roll out, trace, judge, filter, train.')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  const named = commandIn(argv);
  const args = argv.slice(2);
  const versionOnly = args.length === 1 && (args[0] === '--version' || args[0] === '-V');
  const names = named ? [named] : versionOnly ? [] : Object.keys(COMMANDS);
  const loads = names.map((name) => COMMANDS[name]!());
  for (const register of await Promise.all(loads)) register(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage or config error. */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    const program = await createProgram(argv);
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
