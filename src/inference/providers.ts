/**
 * Which provider a model option set means, where it lives and which key it uses. Picked in one place:
 * explicit `provider`, else a `provider:` model prefix, else the host of `baseURL`/`inference_url`,
 * else OpenAI.
 * @module
 */
import { UsageError } from '../errors.ts';

/** The wire format a provider speaks. */
export type ProviderApi = 'openai-chat' | 'anthropic-messages';

/** A known provider: its default base URL and key variable. */
export interface ProviderSpec {
  api: ProviderApi;
  baseURL?: string;
  /** The env var the key comes from by default; undefined for local servers that need none. */
  apiKeyEnv?: string;
}

/** Built-in providers. Any other name with a `baseURL` is treated as an OpenAI-compatible server. */
export const PROVIDERS: Readonly<Record<string, ProviderSpec>> = Object.freeze({
  openai: { api: 'openai-chat', baseURL: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  groq: { api: 'openai-chat', baseURL: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' },
  anthropic: {
    api: 'anthropic-messages',
    baseURL: 'https://api.anthropic.com',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
  },
  together: { api: 'openai-chat', baseURL: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY' },
  openrouter: {
    api: 'openai-chat',
    baseURL: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
  },
  fireworks: {
    api: 'openai-chat',
    baseURL: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnv: 'FIREWORKS_API_KEY',
  },
  ollama: { api: 'openai-chat', baseURL: 'http://127.0.0.1:11434/v1' },
  llamacpp: { api: 'openai-chat', baseURL: 'http://127.0.0.1:8080/v1' },
  vllm: { api: 'openai-chat', baseURL: 'http://127.0.0.1:8000/v1' },
  'openai-compatible': { api: 'openai-chat' },
});

/** Options that pick the provider (snake_case aliases are accepted as config files write them). */
export interface ProviderOptions {
  provider?: string;
  model: string;
  baseURL?: string;
  inference_url?: string;
  apiKey?: string;
  apiKeyEnv?: string;
  api_key_env?: string;
  /** Where keys are read from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

/** A resolved provider: everything needed to build a client. `apiKey` never leaves this layer. */
export interface ResolvedProvider {
  provider: string;
  api: ProviderApi;
  model: string;
  baseURL: string;
  apiKey: string | undefined;
  apiKeyEnv: string | undefined;
}

const HOSTS: Record<string, string> = {
  'api.openai.com': 'openai',
  'api.groq.com': 'groq',
  'api.anthropic.com': 'anthropic',
  'api.together.xyz': 'together',
  'openrouter.ai': 'openrouter',
  'api.fireworks.ai': 'fireworks',
};

function providerFromUrl(url: string): string | undefined {
  try {
    return HOSTS[new URL(url).hostname];
  } catch {
    throw new UsageError(`inference URL "${url}" is not a valid URL`, {
      hint: 'give a full URL such as http://127.0.0.1:8000/v1',
    });
  }
}

/** Resolves provider, model, base URL and key; a missing key is one `UsageError` naming the variable. */
export function resolveProvider(options: ProviderOptions): ResolvedProvider {
  if (!options.model || typeof options.model !== 'string') {
    throw new UsageError('no model given', {
      hint: 'set model, e.g. "gpt-4o-mini" or "groq:llama-3.3-70b-versatile"',
    });
  }
  let model = options.model;
  let provider = options.provider?.toLowerCase();
  const prefix = /^([a-z][a-z0-9-]*):(.+)$/.exec(model);
  if (prefix?.[1] && prefix[2] && PROVIDERS[prefix[1]]) {
    if (provider && provider !== prefix[1]) {
      throw new UsageError(`model "${model}" names provider ${prefix[1]} but provider is "${provider}"`, {
        hint: 'drop the model prefix or the provider option',
      });
    }
    provider = prefix[1];
    model = prefix[2];
  }
  const explicitUrl = options.baseURL ?? options.inference_url;
  provider ??= explicitUrl ? (providerFromUrl(explicitUrl) ?? 'openai-compatible') : 'openai';
  const spec = PROVIDERS[provider] ?? { api: 'openai-chat' as const };
  const baseURL = (explicitUrl ?? spec.baseURL)?.replace(/\/+$/, '');
  if (!baseURL) {
    throw new UsageError(`provider "${provider}" needs a base URL`, {
      hint: 'set inference_url (or baseURL), e.g. http://127.0.0.1:8000/v1',
    });
  }
  const env = options.env ?? process.env;
  const keyEnv = options.apiKeyEnv ?? options.api_key_env;
  let apiKey = options.apiKey;
  if (apiKey === undefined) {
    const name = keyEnv ?? spec.apiKeyEnv;
    apiKey = name ? env[name] : undefined;
    // A named variable must be set; local OpenAI-compatible servers without one need no key.
    if (name && !apiKey) {
      throw new UsageError(`${name} is not set (needed for ${provider} model ${model})`, {
        hint: `export ${name}=... or put it in your .env file, or set api_key_env to the variable that holds the key`,
      });
    }
  }
  return {
    provider,
    api: spec.api,
    model,
    baseURL: spec.api === 'anthropic-messages' ? baseURL.replace(/\/v1$/, '') : baseURL,
    apiKey,
    apiKeyEnv: keyEnv ?? spec.apiKeyEnv,
  };
}
