import { type Command, Option } from 'commander';
import { findConfigFile } from '../config/find-config.ts';
import { type LoadedConfig, loadConfig } from '../config/load-config.ts';
import type { EvalFlags } from '../eval/resolve-settings.ts';
import { resolveEvalSettings } from '../eval/resolve-settings.ts';
import { runEvalCommand } from '../eval/run-command.ts';
import { type CommonOptions, loadCommonEnv, withCommonOptions } from './common.ts';
import { isInteractive } from './output.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

type EvalCliOptions = EvalFlags & CommonOptions & { config?: string };

/**
 * `synth-ai eval [APP_ID]`: rollouts against a task app (started on loopback when no `--url`), traced,
 * judged and reported. Parses and validates; the run itself is `runEvalCommand` in the library.
 */
export function registerEvalCommand(program: Command): void {
  withCommonOptions(
    program
      .command('eval')
      .description('run rollouts against a task app: traces, judge scores, a per-seed table and reports')
      .argument('[APP_ID]', 'task app id (grpo-crafter, crafter, banking77)'),
  )
    .option('--app-id <id>', 'task app id (same as APP_ID)')
    .option('--url <url>', 'URL of a running task app (default: start it on a free loopback port)')
    .option('--config <path>', 'TOML config (default: the first *.toml in configs/ or . that names the app)')
    .option('--seeds <list>', 'seeds: 0,5,9 or 1-100 or 1-3,7 (default 0,1,2,3,4)')
    .option('--split <name>', 'dataset split to request (default train)')
    .option('--model <model>', 'policy model, e.g. gpt-4o-mini or groq:llama-3.3-70b-versatile')
    .option('--policy <name>', 'random | scripted | keyword (built-in) or llm')
    .option('--concurrency <n>', 'rollouts in flight at once (default 1)')
    .option('--timeout <seconds>', 'cancel a rollout after this many seconds')
    .option('--return-trace', 'ask for the full trace in each rollout response (always on in direct mode)')
    .option('--traces-dir <dir>', 'write one seed_N_trace.json per seed')
    .option('--output-json <path>', 'write the JSON report')
    .option('--output-txt <path>', 'write the text report')
    .option('--trace-db <location>', 'trace DB: a path, sqlite+aiosqlite:///abs/path, libsql://..., or none')
    .addOption(
      new Option('--metadata <KEY=VALUE>', 'keep tasks whose metadata matches (repeatable)')
        .argParser(collect)
        .default([]),
    )
    .option('--metadata-sql <query>', 'SELECT over table tasks(seed, ...) returning the seeds to run')
    .option('--judge', 'grade each finished rollout (also [eval.judge] enabled = true)')
    .option('--resume', 'skip seeds already stored for --run-id')
    .option('--run-id <id>', 'name this run (needed by --resume)')
    .option('--backend <url>', 'run through the backend eval jobs API (also SYNTH_BASE_URL + SYNTH_API_KEY)')
    .option('--poll-interval <seconds>', 'backend job polling interval (default 2)')
    .action(async (appArg: string | undefined, options: EvalCliOptions) => {
      loadCommonEnv(options);
      const appId = options.appId ?? appArg;
      const configPath = options.config ?? (appId ? findConfigFile(appId, process.cwd()) : undefined);
      let config: LoadedConfig | null = null;
      if (configPath) {
        config = loadConfig(configPath, { envFiles: options.envFile });
        // The config's own env files reach this process too: a temporary task app runs in it.
        for (const [key, value] of Object.entries(config.env)) process.env[key] ??= value;
        for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
        process.stderr.write(`Using config: ${config.displayPath}\n`);
      }
      if (options.envFile.length > 0)
        process.stderr.write(`Using env file(s): ${options.envFile.join(', ')}\n`);
      const settings = resolveEvalSettings({ ...options, appId }, config);

      // Ctrl-C: the first stops the run cleanly (in-flight rollouts cancelled, finished traces kept, the
      // temporary server stopped); a second one exits at once.
      const controller = new AbortController();
      let interrupts = 0;
      const onSigint = () => {
        interrupts++;
        if (interrupts > 1) process.exit(130);
        process.stderr.write('\nInterrupted: stopping (Ctrl-C again to quit at once)...\n');
        controller.abort(new Error('interrupted'));
      };
      process.on('SIGINT', onSigint);
      try {
        process.exitCode = await runEvalCommand(settings, {
          stdout: process.stdout,
          stderr: process.stderr,
          interactive: isInteractive(process.stderr),
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
