export * from './advantages.ts';
export * from './combine-rewards.ts';
export * from './log-lines.ts';
export * from './loop.ts';
export * from './metrics.ts';
export * from './plot.ts';
