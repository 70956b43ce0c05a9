export * from './compact-trace.ts';
export * from './libsql-client/client-store.ts';
export * from './location.ts';
export * from './open-store.ts';
export * from './session-tracer.ts';
export { SCHEMA_VERSION } from './sqlite/migrations.ts';
export {
  createSqliteTraceStore,
  type SqliteTraceStore,
  type SqliteTraceStoreOptions,
} from './sqlite/sqlite-store.ts';
export * from './store.ts';
export * from './time.ts';
export * from './types.ts';
