export * from './app.ts';
export * from './dataset.ts';
export * from './environment.ts';
export * from './keyword-policy.ts';
export * from './labels.ts';
export * from './prompt.ts';
