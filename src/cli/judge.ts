import type { Command } from 'commander';
import { type CommonOptions, loadCommonEnv, notAvailableYet, withCommonOptions } from './common.ts';

/** `synth-ai judge`: not built yet; it says so and exits 2. */
export function registerJudgeCommand(program: Command): void {
  withCommonOptions(program.command('judge').description('judge (not available yet)'))
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action((options: CommonOptions) => {
      loadCommonEnv(options);
      notAvailableYet('judge');
    });
}
