/**
 * One filter run, as the CLI and library users call it: check the criteria and the paths, count what each
 * criterion drops, stream the export into an atomic file, then write the manifest beside it.
 * @module
 */
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { VERSION } from '../version.ts';
import { createAtomicFile, writeFileAtomic } from './atomic-file.ts';
import { assertCriteria, toSelection } from './criteria.ts';
import { countDrops, finishDropCounts } from './drop-counts.ts';
import { ExampleSink } from './example-sink.ts';
import { exportDpo } from './export-dpo.ts';
import { exportSft } from './export-sft.ts';
import { type IoThread, startIoThread } from './io-thread.ts';
import { buildManifest, type FilterCounts, type FilterManifest } from './manifest.ts';
import { localDbPath, type OpenStore, openTraceDbForReading } from './open-trace-db.ts';
import type { FilterOptions } from './options.ts';
import { PostFilter } from './post-filter.ts';
import { ProvenanceCollector } from './provenance.ts';
import { validateChatExample, validateDpoExample } from './validate-example.ts';

/** What a run did. */
export interface FilterResult {
  output: string;
  manifestPath: string;
  manifest: FilterManifest;
  counts: FilterCounts;
}

/** Below this many selected sessions, the I/O thread costs more to start than it saves. */
const THREAD_MIN_SESSIONS = 2000;

/** How a run is wired; every field is optional. */
export interface RunFilterExtra {
  /** The config file the options came from, for the manifest. */
  configFile?: string | null;
  /** Opens the store (tests, library users); the default opens the DB with `openTraceStore`. */
  openStore?: OpenStore;
  /**
   * Read messages and write the output on a second thread, the I/O thread (SQLite files opened by the default
   * `openStore`, chat SFT only). Default: when at least {@link THREAD_MIN_SESSIONS} sessions are selected.
   * The output is the same either way.
   */
  ioThread?: boolean;
}

/** The manifest's path for an output path. */
export function manifestPathFor(output: string): string {
  return `${output}.manifest.json`;
}

function emptyCounts(): FilterCounts {
  return {
    sessionsTotal: 0,
    sessionsMatched: 0,
    sessionsRead: 0,
    sessionsUsed: 0,
    dropped: [],
    examplesBuilt: 0,
    examplesWritten: 0,
    duplicates: 0,
    invalid: 0,
    invalidReasons: [],
    skippedByOffset: 0,
    stoppedByLimit: false,
    scrubbedSecrets: 0,
    placeholderToolResults: 0,
  };
}

/**
 * Runs a filter. Throws a UsageError (exit 2) for bad criteria, a missing or foreign DB and an unwritable
 * output; on any failure nothing is left at the output path.
 * @example await runFilter(resolveFilterOptions(loadFilterConfig('filter.toml'), { criteria: {} }))
 */
export async function runFilter(options: FilterOptions, extra: RunFilterExtra = {}): Promise<FilterResult> {
  assertCriteria(options.criteria);
  if (options.format === 'dpo' && !(options.minGap >= 0))
    throw new UsageError(`min_gap must be a number of at least 0 (got ${options.minGap})`);
  const output = resolve(options.output);
  const dbFile = localDbPath(options.db);
  if (dbFile === output)
    throw new UsageError(`output ${output} is the trace DB itself`, { hint: 'pick another output path' });
  const store = await openTraceDbForReading(options.db, extra.openStore);
  let file: ReturnType<typeof createAtomicFile> | undefined;
  let io: IoThread | undefined;
  try {
    // Open the output before the work, so an unwritable path fails in a second, not after the export.
    file = createAtomicFile(output);
    const counts = emptyCounts();
    const criteria = { ...options.criteria };
    const shuffleSeed = criteria.shuffle ? (criteria.shuffleSeed ?? randomInt(0, 2 ** 31 - 1)) : null;
    if (shuffleSeed !== null) criteria.shuffleSeed = shuffleSeed;
    // The I/O thread pages the whole selection, so it can count it (see drop-counts.ts).
    const mayThread =
      options.format !== 'dpo' && dbFile !== null && !extra.openStore && extra.ioThread !== false;
    const pending = await countDrops(store, options.criteria, counts, mayThread);
    const threaded =
      mayThread && (extra.ioThread ?? (pending?.before ?? counts.sessionsMatched) >= THREAD_MIN_SESSIONS);
    if (!threaded) await finishDropCounts(store, pending, counts, null);
    const provenance = new ProvenanceCollector();
    const sink = new ExampleSink(
      file,
      {
        keepDuplicates: options.keepDuplicates,
        offset: criteria.offset ?? 0,
        limit: criteria.limit ?? Number.POSITIVE_INFINITY,
        validate: options.format === 'dpo' ? validateDpoExample : validateChatExample,
      },
      counts,
    );
    const postFilter = new PostFilter(criteria);
    const common = { store, selection: toSelection(criteria), postFilter, sink, counts, provenance };
    if (options.format === 'dpo')
      await exportDpo({
        ...common,
        scoreName: options.dpoScore,
        groupBy: options.dpoGroup,
        minGap: options.minGap,
      });
    else {
      if (threaded && dbFile !== null) {
        io = startIoThread(dbFile);
        file.offload(io.output);
      }
      await exportSft({ ...common, mode: options.mode, reader: io?.reader });
      if (threaded) await finishDropCounts(store, pending, counts, io?.reader.paged() ?? null);
    }
    counts.dropped.push(...postFilter.dropped());
    if (counts.stoppedByLimit)
      counts.dropped.push({
        criterion: 'limit (not read)',
        sessions: counts.sessionsMatched - counts.sessionsRead,
      });
    const written = await file.commit();
    const manifest = buildManifest({
      tool: `synth-ai ${VERSION} filter`,
      options,
      configFile: extra.configFile ?? null,
      counts,
      output: { path: output, ...written },
      shuffleSeed,
      rubricIds: provenance.rubricIds,
      judgeIds: provenance.judgeIds,
      judgeNames: provenance.judgeNames,
    });
    const manifestPath = manifestPathFor(output);
    await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    return { output, manifestPath, manifest, counts };
  } catch (error) {
    // The I/O thread stops before the temp file closes: it must not write to a descriptor reused meanwhile.
    await io?.close();
    file?.abort();
    throw error;
  } finally {
    await io?.close();
    await store.close();
  }
}
