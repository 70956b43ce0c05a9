import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UsageError } from '../errors.ts';
import { parseRubric } from './rubric-parse.ts';
import type { RubricRegistry } from './rubric-registry.ts';
import type { JudgeRubric } from './rubric-types.ts';

/** Reads a rubric from a JSON or TOML file (either form). A TOML file may hold it under `[rubric]`. */
export function loadRubricFile(path: string): JudgeRubric {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(
      `rubric file ${path} cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        hint: 'check the path given to --rubric',
      },
    );
  }
  let doc: unknown;
  const ext = extname(path).toLowerCase();
  try {
    doc = ext === '.toml' ? parseToml(text) : JSON.parse(text);
  } catch (cause) {
    throw new UsageError(
      `rubric file ${path} is not valid ${ext === '.toml' ? 'TOML' : 'JSON'}: ${(cause as Error).message.split('\n')[0]}`,
      {
        hint: 'fix the syntax (rubric files are .json or .toml)',
      },
    );
  }
  const inner = (doc as { rubric?: unknown }).rubric;
  const body = inner && typeof inner === 'object' ? inner : doc;
  return parseRubric(body, {
    source: path,
    fallbackId: path.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, ''),
  });
}

/**
 * Fetches a task app's rubrics from `GET {baseUrl}/info` (`rubrics: {outcome, events}` or the seeds'
 * bundle form), sending `ENVIRONMENT_API_KEY` as `X-API-Key` when given. `fetch` replaces the global one (eval
 * passes its in-process route to a temporary app).
 */
export async function loadRubricFromTaskApp(
  baseUrl: string,
  options: { apiKey?: string; fallbackId?: string; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<JudgeRubric> {
  const url = `${baseUrl.replace(/\/+$/, '')}/info`;
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, {
      headers: options.apiKey
        ? { 'x-api-key': options.apiKey, authorization: `Bearer ${options.apiKey}` }
        : {},
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (cause) {
    throw new UsageError(`cannot reach task app at ${baseUrl}: ${(cause as Error).message}`, {
      hint: 'start the task app or fix its URL',
    });
  }
  if (!res.ok) {
    throw new UsageError(`task app ${baseUrl}/info answered HTTP ${res.status}`, {
      hint:
        res.status === 401 || res.status === 400
          ? 'set ENVIRONMENT_API_KEY to the task app key'
          : 'check the task app logs',
    });
  }
  const info = (await res.json().catch(() => null)) as {
    rubrics?: unknown;
    service?: { task?: { id?: string } };
  } | null;
  if (!info?.rubrics)
    throw new UsageError(`task app ${baseUrl} publishes no rubrics in /info`, {
      hint: 'pass a rubric file with --rubric',
    });
  return parseRubric(info.rubrics, {
    source: `${baseUrl}/info`,
    fallbackId: options.fallbackId ?? info.service?.task?.id,
  });
}

/** Resolves `--rubric`: a registered id, else a path to a JSON/TOML file. */
export function resolveRubricRef(
  ref: string,
  registry: RubricRegistry,
): { rubric: JudgeRubric; fromRegistry: boolean } {
  if (registry.has(ref)) return { rubric: registry.get(ref).rubric, fromRegistry: true };
  if (/\.(json|toml)$/i.test(ref)) return { rubric: loadRubricFile(ref), fromRegistry: false };
  return { rubric: registry.get(ref).rubric, fromRegistry: true };
}
