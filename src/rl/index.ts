export * from './combine-rewards.ts';
