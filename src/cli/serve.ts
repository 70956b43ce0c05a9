import type { Command } from 'commander';
import { type CommonOptions, loadCommonEnv, notAvailableYet, withCommonOptions } from './common.ts';

/** `synth-ai serve`: not built yet; it says so and exits 2. */
export function registerServeCommand(program: Command): void {
  withCommonOptions(program.command('serve').description('serve (not available yet)'))
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action((options: CommonOptions) => {
      loadCommonEnv(options);
      notAvailableYet('serve');
    });
}
