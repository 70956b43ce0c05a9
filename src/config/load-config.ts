/**
 * Loading a config file: TOML → zod validation (every problem collected into one `ConfigError`) → the
 * typed blocks it holds, plus warnings and the environment with env files applied.
 * @module
 */
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { loadEnvFiles } from './env-files.ts';
import { describeIssues, formatPath as formatKey } from './format-issues.ts';
import { indexKeyLines } from './key-lines.ts';
import type { ResolvedEvalConfig } from './schemas/eval.ts';
import type { ResolvedFilterConfig } from './schemas/filter.ts';
import type { ResolvedPromptLearningConfig } from './schemas/prompt-learning.ts';
import { type ResolvedRlConfig, rlWarnings } from './schemas/rl.ts';
import { configFileSchema } from './schemas/root.ts';
import { parseToml, readTomlSource } from './toml-file.ts';
import { liftedLines, liftTopLevelEval } from './top-level-eval.ts';

/** The typed blocks of a config file; each is undefined when the file does not have it. */
export interface ParsedConfig {
  readonly eval: ResolvedEvalConfig | undefined;
  readonly promptLearning: ResolvedPromptLearningConfig | undefined;
  readonly filter: ResolvedFilterConfig | undefined;
  /** Present when any RL section (`[algorithm]` ... `[evaluation]`) is. */
  readonly rl: ResolvedRlConfig | undefined;
  /** Non-fatal remarks, one line each with file and line. */
  readonly warnings: readonly string[];
}

/** A config file loaded from disk. */
export interface LoadedConfig extends ParsedConfig {
  /** Absolute path of the file. */
  readonly path: string;
  /** The path as messages show it. */
  readonly displayPath: string;
  /**
   * The environment to read keys from: the variables of `[eval] env_file` then `envFiles` (a later file
   * wins), under the variables already set in `env`. Holds secrets: never print it.
   */
  readonly env: Readonly<Record<string, string>>;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The real environment. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Env files given on the command line (`--env-file`), applied after the config's own. */
  readonly envFiles?: readonly string[];
  /** Where relative paths start. @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Validates TOML text as a config file. Throws one `ConfigError` listing every problem (syntax, unknown
 * keys with "did you mean", wrong types, cross-field rules), each with `file:line`.
 * @example parseConfigText('[eval]\napp_id = "banking77"\nseeds = "0-4"\n', 'eval.toml').eval?.seeds
 */
export function parseConfigText(text: string, displayPath: string): ParsedConfig {
  const written = parseToml(text, displayPath);
  const lifted = liftTopLevelEval(written);
  const data = lifted ?? written;
  const lines = lifted ? liftedLines(indexKeyLines(text)) : indexKeyLines(text);
  const where = (line: number | undefined) => (line === undefined ? displayPath : `${displayPath}:${line}`);
  const result = configFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const problems = describeIssues(result.error.issues, { root: configFileSchema, lines });
    const first = problems[0];
    throw new ConfigError(
      problems.map((p) => `${formatKey(p.path)}: ${p.message} (${where(p.line)})`),
      { hint: first ? `fix ${where(first.line)}` : undefined },
    );
  }
  const warnings = rlWarnings(data).map(
    (w) => `${formatKey(w.path)}: ${w.message} (${where(lines.lineOf(w.path))})`,
  );
  return {
    eval: result.data.eval,
    promptLearning: result.data.promptLearning,
    filter: result.data.filter,
    rl: result.data.rl,
    warnings,
  };
}

/**
 * Reads, validates and resolves a config file, and builds the environment keys are read from.
 * @example const config = loadConfig('configs/eval.toml', { envFiles: ['.env'] });
 */
export function loadConfig(path: string, options: LoadConfigOptions = {}): LoadedConfig {
  const source = readTomlSource(path, options.cwd);
  const parsed = parseConfigText(source.text, source.displayPath);
  const cwd = options.cwd ?? process.cwd();
  const files = [...(parsed.eval?.env_file ?? []), ...(options.envFiles ?? [])].map((f) => resolve(cwd, f));
  const env: Record<string, string> = loadEnvFiles(files);
  for (const [key, value] of Object.entries(options.env ?? process.env))
    if (value !== undefined) env[key] = value;
  return { ...parsed, path: source.path, displayPath: source.displayPath, env };
}
