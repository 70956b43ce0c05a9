export * from './advantages.ts';
export * from './combine-rewards.ts';
