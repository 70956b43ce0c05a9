import type { TaskApp } from '../../task-app/define.ts';
import type { JsonObject, SessionTrace } from '../../tracing/types.ts';
import { startLocalAppServer } from './local-app-server.ts';
import type { SoftmaxModel } from './softmax-model.ts';

export interface LocalEvaluation {
  seeds: number[];
  returns: number[];
  achievements: number[];
  meanReturn: number;
  /** Mean unique achievements (the outcome row's achievements_count; 0 for apps without achievements). */
  meanAchievements: number;
}

const mean = (values: readonly number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;

/** Greedy episodes of a local model on the given seeds, through the app's HTTP contract. */
export async function evaluateLocalModel(options: {
  app: TaskApp;
  model: SoftmaxModel;
  seeds: readonly number[];
  maxTurns: number;
  envConfig?: JsonObject;
  temperature?: number;
  /** Episodes per seed (each with its own sampling stream); only useful with a temperature above 0. */
  samples?: number;
}): Promise<LocalEvaluation> {
  const server = await startLocalAppServer({
    app: options.app,
    modelFor: () => options.model,
    maxTurns: options.maxTurns,
    envConfig: options.envConfig,
  });
  try {
    const runs = options.seeds.flatMap((seed) =>
      Array.from({ length: Math.max(1, options.samples ?? 1) }, (_, sample) => ({ seed, sample })),
    );
    const responses = await Promise.all(
      runs.map(({ seed, sample }) =>
        server.rollout({ seed, version: 0, temperature: options.temperature ?? 0, sample }),
      ),
    );
    const returns = responses.map((r) => r.metrics.mean_return);
    const achievements = responses.map(
      (r) => (r.trace as SessionTrace | undefined)?.outcome?.achievements_count ?? 0,
    );
    return {
      seeds: runs.map((r) => r.seed),
      returns,
      achievements,
      meanReturn: mean(returns),
      meanAchievements: mean(achievements),
    };
  } finally {
    await server.close();
  }
}
