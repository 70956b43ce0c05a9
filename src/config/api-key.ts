/**
 * API keys: named by `api_key_env` (or the provider's usual variable) and read from the environment after
 * env files are applied. Values are never printed; errors name the variable only.
 * @module
 */
import { UsageError } from '../errors.ts';

/** The variable each provider's key usually lives in. */
export const PROVIDER_KEY_ENV: Readonly<Record<string, string>> = {
  openai: 'OPENAI_API_KEY',
  groq: 'GROQ_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
};

/** Which key to read: an explicit `api_key_env`, else the provider's default variable. */
export interface ApiKeySource {
  readonly apiKeyEnv?: string | undefined;
  readonly provider?: string | undefined;
  /** Who needs the key, for the error message, for example `the judge "primary"`. @default "this provider" */
  readonly purpose?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The variable name for `source`, or undefined when neither `api_key_env` nor a known provider names one. */
export function apiKeyEnvName(source: ApiKeySource): string | undefined {
  return source.apiKeyEnv ?? (source.provider ? PROVIDER_KEY_ENV[source.provider] : undefined);
}

/** The key if it is set (non-empty), else undefined. */
export function lookupApiKey(source: ApiKeySource, env: Env = process.env): string | undefined {
  const name = apiKeyEnvName(source);
  const value = name ? env[name] : undefined;
  return value && value.trim() !== '' ? value : undefined;
}

/**
 * The key named by `source`, read from `env`. Throws a `UsageError` naming the variable (never a value)
 * and pointing at `--env-file` when it is not set.
 * @example resolveApiKey({ provider: 'openai' }, env) // reads OPENAI_API_KEY
 */
export function resolveApiKey(source: ApiKeySource, env: Env = process.env): string {
  const purpose = source.purpose ?? 'this provider';
  const name = apiKeyEnvName(source);
  if (!name) {
    throw new UsageError(
      `${purpose} has no api_key_env and provider ${JSON.stringify(source.provider ?? '')} has no default key variable`,
      {
        hint: 'set api_key_env to the name of the variable holding the key',
      },
    );
  }
  const value = lookupApiKey(source, env);
  if (value === undefined) {
    throw new UsageError(`${purpose} needs ${name}, which is not set`, {
      hint: `export ${name} or put it in a .env file passed with --env-file`,
    });
  }
  return value;
}
