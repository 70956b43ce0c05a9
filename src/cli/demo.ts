import type { Command } from 'commander';
import { runDemo } from '../demo/run-demo.ts';
import { type CommonOptions, loadCommonEnv, withCommonOptions } from './common.ts';

/** `synth-ai demo`: the whole loop offline, on embedded defaults. */
export function registerDemoCommand(program: Command): void {
  withCommonOptions(
    program
      .command('demo')
      .description('eval → judge → filter → train on Crafter, offline, into traces/ ft_data/ synth-ai-out/'),
  ).action(async (options: CommonOptions) => {
    loadCommonEnv(options);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      await runDemo({ signal: controller.signal });
    } finally {
      process.off('SIGINT', stop);
    }
  });
}
