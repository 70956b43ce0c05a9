import type { Command } from 'commander';
import { type CommonOptions, loadCommonEnv, notAvailableYet, withCommonOptions } from './common.ts';

/** `synth-ai eval`: not built yet; it says so and exits 2. */
export function registerEvalCommand(program: Command): void {
  withCommonOptions(program.command('eval').description('eval (not available yet)'))
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action((options: CommonOptions) => {
      loadCommonEnv(options);
      notAvailableYet('eval');
    });
}
