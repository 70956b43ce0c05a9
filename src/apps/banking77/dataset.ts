/**
 * Banking77 examples: the built-in set (always there) or the real dataset, fetched at run time from the
 * Hugging Face datasets server into a local cache and reused from there.
 * @module
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SynthError, UsageError } from '../../errors.ts';
import { BUILTIN_QUERIES } from './builtin-queries.ts';
import { BANKING77_LABELS } from './labels.ts';

/** One labelled query. */
export interface Banking77Example {
  text: string;
  label: string;
}

export type Banking77Source = 'builtin' | 'hf';

/** Where the HF rows API lives; tests point it at a local server. */
export const HF_ROWS_URL = 'https://datasets-server.huggingface.co/rows';
const PAGE = 100;

/** The cache folder: `BANKING77_CACHE_DIR`, else `~/.cache/synth-ai/banking77`. */
export function defaultBanking77CacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BANKING77_CACHE_DIR?.trim() || join(homedir(), '.cache', 'synth-ai', 'banking77');
}

const builtinSplits = new Map<string, readonly Banking77Example[]>();

/** The built-in split, built once and frozen: what every rollout of the environment reads. */
function sharedBuiltinSplit(split: string): readonly Banking77Example[] {
  if (split !== 'train' && split !== 'test') {
    throw new UsageError(`Banking77 has no split "${split}"`, { hint: 'use split "train" or "test"' });
  }
  let examples = builtinSplits.get(split);
  if (!examples) {
    const built: Banking77Example[] = [];
    for (const label of BANKING77_LABELS) {
      const [first, second, test] = BUILTIN_QUERIES[label];
      if (split === 'train') built.push({ text: first, label }, { text: second, label });
      else built.push({ text: test, label });
    }
    examples = Object.freeze(built.map((e) => Object.freeze(e)));
    builtinSplits.set(split, examples);
  }
  return examples;
}

/** The built-in split: `train` (2 per intent) or `test` (1 per intent), in label order. A fresh copy. */
export function builtinSplit(split: string): Banking77Example[] {
  return sharedBuiltinSplit(split).map((e) => ({ ...e }));
}

interface RowsPage {
  rows?: Array<{ row?: { text?: unknown; label?: unknown } }>;
  num_rows_total?: number;
}

async function fetchPage(
  baseUrl: string,
  split: string,
  offset: number,
  doFetch: typeof fetch,
): Promise<RowsPage> {
  const url = `${baseUrl}?dataset=PolyAI%2Fbanking77&config=default&split=${encodeURIComponent(split)}&offset=${offset}&length=${PAGE}`;
  const response = await doFetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} from the datasets server`);
  return (await response.json()) as RowsPage;
}

function toExample(row: { text?: unknown; label?: unknown } | undefined): Banking77Example {
  const label = typeof row?.label === 'number' ? BANKING77_LABELS[row.label] : undefined;
  if (typeof row?.text !== 'string' || label === undefined)
    throw new Error('a row has no text or a bad label');
  return { text: row.text, label };
}

/** Downloads one split page by page (100 rows a request). */
export async function downloadBanking77Split(
  split: string,
  options: { baseUrl?: string; fetch?: typeof fetch } = {},
): Promise<Banking77Example[]> {
  const baseUrl = options.baseUrl ?? HF_ROWS_URL;
  const doFetch = options.fetch ?? fetch;
  const examples: Banking77Example[] = [];
  try {
    let total = Number.POSITIVE_INFINITY;
    for (let offset = 0; offset < total; offset += PAGE) {
      const page = await fetchPage(baseUrl, split, offset, doFetch);
      total = page.num_rows_total ?? 0;
      const rows = page.rows ?? [];
      if (rows.length === 0) break;
      for (const row of rows) examples.push(toExample(row.row));
    }
  } catch (cause) {
    throw new SynthError(
      `cannot download Banking77 split "${split}" from the Hugging Face datasets server: ${(cause as Error).message}`,
      { hint: 'check the network connection, or use env.config.dataset = "builtin" offline', cause },
    );
  }
  if (examples.length === 0) {
    throw new SynthError(`the datasets server returned no rows for Banking77 split "${split}"`, {
      hint: 'use split "train" or "test"',
    });
  }
  return examples;
}

const memo = new Map<string, Promise<readonly Banking77Example[]>>();

/**
 * Loads a split from `source`. HF splits are read from `<cacheDir>/banking77-<split>.json` when present,
 * otherwise downloaded and written there (temp file, then rename). Results are kept in memory per process
 * and shared by every caller (read-only; the built-in splits are frozen): copy one to change it.
 */
export function loadBanking77Split(options: {
  split: string;
  source?: Banking77Source;
  cacheDir?: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}): Promise<readonly Banking77Example[]> {
  const source = options.source ?? 'builtin';
  if (source === 'builtin') return Promise.resolve(sharedBuiltinSplit(options.split));
  const cacheDir = options.cacheDir ?? defaultBanking77CacheDir();
  const key = `${cacheDir}\u0000${options.split}\u0000${options.baseUrl ?? ''}`;
  let loading = memo.get(key);
  if (!loading) {
    loading = loadCachedOrDownload(options.split, cacheDir, options);
    memo.set(key, loading);
    loading.catch(() => memo.delete(key));
  }
  return loading;
}

async function loadCachedOrDownload(
  split: string,
  cacheDir: string,
  options: { baseUrl?: string; fetch?: typeof fetch },
): Promise<Banking77Example[]> {
  const file = join(cacheDir, `banking77-${split.replace(/[^a-z0-9_-]/gi, '_')}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Banking77Example[];
    if (Array.isArray(cached) && cached.length > 0) return cached;
  } catch {
    // No cache yet (or a damaged one): download below and replace it.
  }
  const examples = await downloadBanking77Split(split, options);
  mkdirSync(cacheDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(examples));
  renameSync(temp, file);
  return examples;
}
