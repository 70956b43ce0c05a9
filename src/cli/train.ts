import type { Command } from 'commander';
import { type CommonOptions, loadCommonEnv, notAvailableYet, withCommonOptions } from './common.ts';

/** `synth-ai train`: not built yet; it says so and exits 2. */
export function registerTrainCommand(program: Command): void {
  withCommonOptions(program.command('train').description('train (not available yet)'))
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action((options: CommonOptions) => {
      loadCommonEnv(options);
      notAvailableYet('train');
    });
}
