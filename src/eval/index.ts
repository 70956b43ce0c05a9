/** @module eval: rollouts against task apps, traced, judged and reported (direct and backend mode). */
export * from './backend-client.ts';
export * from './eval-judges.ts';
export * from './local-server.ts';
export * from './metadata-sql.ts';
export * from './metrics.ts';
export * from './policy-choice.ts';
export * from './progress.ts';
export { buildJsonReport, buildTextReport, type ReportConfig } from './report-files.ts';
export * from './report-summary.ts';
export * from './report-table.ts';
export * from './resolve-settings.ts';
export * from './resume.ts';
export * from './rollout-request.ts';
export * from './rubric-verifier.ts';
export * from './run-backend-eval.ts';
export * from './run-command.ts';
export * from './run-eval.ts';
export * from './run-seed.ts';
export * from './seed-selection.ts';
export * from './seeds.ts';
// `pearson` and `mean` are exported by other stages too; eval's are reached as `evalPearson`.
export {
  describePearson,
  type PearsonResult,
  type PearsonUndefinedReason,
  pearson as evalPearson,
} from './stats.ts';
export * from './summary.ts';
export * from './task-table.ts';
export * from './trace-record.ts';
export * from './types.ts';
