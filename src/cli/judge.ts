import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { parse as parseToml } from 'smol-toml';
import { UsageError } from '../errors.ts';
import { formatGradeSummary, gradeDb } from '../judge/grade-db.ts';
import { type JudgeSettings, parseJudgeSection } from '../judge/judge-config.ts';
import { formatReport, judgeReport, loadLabels } from '../judge/report.ts';
import { openTraceStore } from '../tracing/open-store.ts';
import { type CommonOptions, loadCommonEnv, withCommonOptions } from './common.ts';

interface JudgeCliOptions extends CommonOptions {
  db?: string;
  config?: string;
  rubric?: string;
  provider?: string;
  model?: string;
  apiKeyEnv?: string;
  baseUrl?: string;
  name?: string;
  primary: boolean;
  event?: boolean;
  outcome: boolean;
  samples?: number;
  concurrency?: number;
  onlyMissing?: boolean;
  sampleRate?: number;
  limit?: number;
  force?: boolean;
  dryRun?: boolean;
  maxCostUsd?: number;
  timeoutS?: number;
  cache: boolean;
  report?: boolean;
  labels?: string;
  threshold: number;
  json?: boolean;
}

function num(kind: 'int' | 'float', min: number, max = Number.POSITIVE_INFINITY) {
  return (raw: string, _prev: unknown, flag = 'value') => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || v > max || (kind === 'int' && !Number.isInteger(v))) {
      throw new UsageError(`invalid ${flag} "${raw}"`, {
        hint: `give ${kind === 'int' ? 'an integer' : 'a number'} ≥ ${min}${max < Infinity ? ` and ≤ ${max}` : ''}`,
      });
    }
    return v;
  };
}

function configSection(path: string): unknown {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new UsageError(`config ${path} cannot be read: ${(cause as Error).message.split('\n')[0]}`, {
      hint: 'check the path and TOML syntax',
    });
  }
  const evalJudge = (doc.eval as Record<string, unknown> | undefined)?.judge;
  return doc.judge ?? evalJudge ?? {};
}

/** Flags over config over defaults. */
function settingsFrom(o: JudgeCliOptions): JudgeSettings {
  const fromFile = o.config ? (configSection(o.config) as Record<string, unknown>) : {};
  const merged: Record<string, unknown> = { ...fromFile };
  if (o.provider) {
    merged.provider = o.provider;
    delete merged.type;
  }
  for (const [k, v] of [
    ['model', o.model],
    ['api_key_env', o.apiKeyEnv],
    ['base_url', o.baseUrl],
    ['name', o.name],
    ['samples', o.samples],
    ['timeout_s', o.timeoutS],
  ] as const) {
    if (v !== undefined) merged[k] = v;
  }
  if (o.event !== undefined) merged.event = o.event;
  if (!o.outcome) merged.outcome = false;
  const s = parseJudgeSection(merged, o.config ? `${o.config} [judge]` : 'judge');
  if (!s.enabled && !o.provider)
    throw new UsageError('the judge is disabled in the config (enabled = false)', {
      hint: 'set enabled = true or pass --provider',
    });
  return s;
}

/** `synth-ai judge --db DB`: grade stored traces, or report how judges agree with official scores. */
export function registerJudgeCommand(program: Command): void {
  withCommonOptions(
    program
      .command('judge')
      .description('grade the traces in a trace DB with a rubric judge (LLM or programmatic)'),
  )
    .option('--db <path>', 'trace DB (SQLite path or libsql:// URL)')
    .option('--config <file>', 'TOML with a [judge] or [eval.judge] section')
    .option('--rubric <id|file>', 'rubric id (e.g. crafter/bundle@v1) or a JSON/TOML rubric file')
    .option(
      '--provider <name|url>',
      'openai, groq, anthropic, openai-compatible, a base URL, or programmatic (default)',
    )
    .option('--model <name>', 'judge model, e.g. gpt-4o-mini')
    .option('--api-key-env <var>', 'env var holding the provider key')
    .option('--base-url <url>', 'OpenAI-compatible base URL')
    .option('--name <name>', 'key under judge_metadata (default llm or programmatic)')
    .option('--no-primary', 'store only under --name, not at the top of judge_metadata')
    .option('--event', 'also grade steps (batched event judging)')
    .option('--no-outcome', 'skip the episode-level (outcome) grade')
    .addOption(
      new Option('--samples <k>', 'outcome samples; their spread is kept as confidence').argParser(
        num('int', 1, 16),
      ),
    )
    .addOption(
      new Option('--concurrency <n>', 'judgments in flight').argParser(num('int', 1, 1024)).default(8),
    )
    .option('--only-missing', 'skip sessions this judge already scored')
    .addOption(
      new Option('--sample-rate <r>', 'fraction of sessions to judge (others abstain)').argParser(
        num('float', 0, 1),
      ),
    )
    .addOption(new Option('--limit <n>', 'at most this many sessions').argParser(num('int', 1)))
    .option('--force', 're-grade even when the cache holds a verdict')
    .option('--dry-run', 'print the calls, tokens and cost it would take; call nothing')
    .addOption(
      new Option('--max-cost-usd <usd>', 'stop before this spend is exceeded').argParser(num('float', 0)),
    )
    .addOption(new Option('--timeout-s <s>', 'per-call timeout').argParser(num('float', 0.001)))
    .option('--no-cache', 'do not read or write the judgments cache')
    .option('--report', 'print agreement of each judge with official scores (and labels)')
    .option('--labels <file>', 'JSONL of {session_id, label} for Cohen kappa (with --report)')
    .addOption(
      new Option('--threshold <t>', 'score threshold for kappa').argParser(num('float', 0)).default(0.5),
    )
    .option('--json', 'print one JSON object')
    .action(async (o: JudgeCliOptions) => {
      loadCommonEnv(o);
      if (!o.db)
        throw new UsageError('judge needs --db', {
          hint: 'pass the trace DB, e.g. --db traces/v3/synth_ai.db',
        });
      if (o.labels && !o.report)
        throw new UsageError('--labels works with --report', { hint: 'add --report' });
      if (o.report) {
        const labels = o.labels ? loadLabels(o.labels) : undefined;
        const store = await openTraceStore(o.db);
        if (!store) throw new UsageError(`cannot open ${o.db}`, { hint: 'give the path of a trace DB' });
        try {
          const rows = await judgeReport(store, { labels, threshold: o.threshold });
          process.stdout.write(o.json ? `${JSON.stringify({ judges: rows })}\n` : `${formatReport(rows)}\n`);
        } finally {
          await store.close();
        }
        return;
      }
      const settings = settingsFrom(o);
      const summary = await gradeDb({
        db: o.db,
        settings,
        rubric: o.rubric,
        primary: o.primary,
        onlyMissing: o.onlyMissing,
        sampleRate: o.sampleRate ?? settings.sampleRate,
        limit: o.limit,
        force: o.force,
        cache: o.cache,
        concurrency: o.concurrency ?? settings.concurrency,
        maxCostUsd: o.maxCostUsd ?? settings.maxCostUsd,
        dryRun: o.dryRun,
      });
      const model =
        settings.provider === 'programmatic' ? 'programmatic' : `${settings.provider}:${settings.model}`;
      if (o.json) {
        const { results, ...rest } = summary;
        process.stdout.write(
          `${JSON.stringify({ ...rest, errors: results.filter((r) => r.status === 'error').map((r) => ({ session_id: r.sessionId, reason: r.reason })) })}\n`,
        );
      } else {
        process.stdout.write(`${formatGradeSummary(summary, model)}\n`);
        for (const r of summary.results.filter((x) => x.status === 'error').slice(0, 5))
          process.stderr.write(`error ${r.sessionId}: ${r.reason}\n`);
      }
      if (!summary.dryRun && summary.ok === 0 && summary.error > 0) process.exitCode = 1;
    });
}
