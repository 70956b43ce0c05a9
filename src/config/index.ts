export * from './env-files.ts';
