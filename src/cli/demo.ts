import type { Command } from 'commander';
import { type CommonOptions, loadCommonEnv, notAvailableYet, withCommonOptions } from './common.ts';

/** `synth-ai demo`: the whole loop offline, on embedded defaults. */
export function registerDemoCommand(program: Command): void {
  withCommonOptions(
    program.command('demo').description('run the pipeline offline on embedded defaults'),
  ).action((options: CommonOptions) => {
    loadCommonEnv(options);
    notAvailableYet('demo');
  });
}
