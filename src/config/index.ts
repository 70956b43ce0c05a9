/**
 * Config files (TOML validated by zod, one schema per block), env files, seeds and API keys.
 * @module
 */
export * from './api-key.ts';
export * from './did-you-mean.ts';
export * from './env-files.ts';
export * from './find-config.ts';
export { type ConfigProblem, describeValue, formatPath } from './format-issues.ts';
export { indexKeyLines, type KeyLineIndex, type KeyPath } from './key-lines.ts';
export * from './load-config.ts';
export type { DeepReadonly } from './schemas/common.ts';
export * from './schemas/eval.ts';
export { MAIN_JUDGE_NAME } from './schemas/eval-judges.ts';
export { REASONING_EFFORTS } from './schemas/eval-policy.ts';
export * from './schemas/filter.ts';
export { toInstant } from './schemas/instant.ts';
export { JUDGE_PROVIDERS, type JudgeProvider, type ResolvedJudge } from './schemas/judge.ts';
export * from './schemas/prompt-learning.ts';
export * from './schemas/rl.ts';
export { type ConfigBlocks, configFileSchema } from './schemas/root.ts';
export * from './seeds.ts';
export { displayPathOf, parseToml, readTomlSource, type TomlSource } from './toml-file.ts';
