export * from './local/action-space.ts';
export * from './local/featurize.ts';
export * from './local/local-policy.ts';
export * from './local/policy-gradient.ts';
export * from './local/sft.ts';
export * from './local/softmax-model.ts';
export * from './openai/openai-trainer.ts';
export * from './trainer.ts';
