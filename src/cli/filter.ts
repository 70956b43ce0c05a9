import type { Command } from 'commander';
import { type CommonOptions, loadCommonEnv, notAvailableYet, withCommonOptions } from './common.ts';

/** `synth-ai filter`: not built yet; it says so and exits 2. */
export function registerFilterCommand(program: Command): void {
  withCommonOptions(program.command('filter').description('filter (not available yet)'))
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action((options: CommonOptions) => {
      loadCommonEnv(options);
      notAvailableYet('filter');
    });
}
