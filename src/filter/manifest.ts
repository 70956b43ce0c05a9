/**
 * The manifest written beside every dataset (`<output>.manifest.json`): what was asked, what was found,
 * what each criterion dropped, and the sha256 of the bytes written, so a dataset can be traced and checked.
 * @module
 */
import type { FilterCriteria } from './criteria.ts';
import type { FilterOptions } from './options.ts';

/** Sessions one criterion removed (after the criteria before it). */
export interface DroppedCount {
  criterion: string;
  sessions: number;
}

/** Counts of one run. */
export interface FilterCounts {
  sessionsTotal: number;
  sessionsMatched: number;
  sessionsRead: number;
  sessionsUsed: number;
  dropped: DroppedCount[];
  examplesBuilt: number;
  examplesWritten: number;
  duplicates: number;
  invalid: number;
  invalidReasons: string[];
  skippedByOffset: number;
  stoppedByLimit: boolean;
  scrubbedSecrets: number;
  placeholderToolResults: number;
  /** DPO only: groups seen, and groups without a pair for each reason. */
  dpo?: { groups: number; pairs: number; skipped: Record<string, number> };
}

/** The manifest's JSON shape (version 1). */
export interface FilterManifest {
  manifest_version: 1;
  tool: string;
  created_at: string;
  output: { path: string; sha256: string; bytes: number; lines: number };
  db: string;
  config: { file: string | null; format: string; mode: string; keep_duplicates: boolean; dpo?: object };
  criteria: FilterCriteria;
  shuffle_seed: number | null;
  counts: {
    sessions: { total: number; matched: number; read: number; used: number };
    dropped: DroppedCount[];
    examples: {
      built: number;
      written: number;
      duplicates: number;
      invalid: number;
      invalid_reasons: string[];
      skipped_by_offset: number;
      stopped_by_limit: boolean;
      placeholder_tool_results: number;
    };
    scrubbed_secrets: number;
    dpo?: FilterCounts['dpo'];
  };
  rubric_ids: string[];
  judge_ids: string[];
  judge_names: string[];
}

/** Builds the manifest object. */
export function buildManifest(input: {
  tool: string;
  options: FilterOptions;
  configFile: string | null;
  counts: FilterCounts;
  output: { path: string; sha256: string; bytes: number };
  shuffleSeed: number | null;
  rubricIds: Iterable<string>;
  judgeIds: Iterable<string>;
  judgeNames: Iterable<string>;
}): FilterManifest {
  const { options, counts } = input;
  return {
    manifest_version: 1,
    tool: input.tool,
    created_at: new Date().toISOString(),
    output: { ...input.output, lines: counts.examplesWritten },
    db: options.db,
    config: {
      file: input.configFile,
      format: options.format,
      mode: options.mode,
      keep_duplicates: options.keepDuplicates,
      ...(options.format === 'dpo'
        ? { dpo: { min_gap: options.minGap, score: options.dpoScore, group: options.dpoGroup } }
        : {}),
    },
    criteria: options.criteria,
    shuffle_seed: input.shuffleSeed,
    counts: {
      sessions: {
        total: counts.sessionsTotal,
        matched: counts.sessionsMatched,
        read: counts.sessionsRead,
        used: counts.sessionsUsed,
      },
      dropped: counts.dropped,
      examples: {
        built: counts.examplesBuilt,
        written: counts.examplesWritten,
        duplicates: counts.duplicates,
        invalid: counts.invalid,
        invalid_reasons: counts.invalidReasons,
        skipped_by_offset: counts.skippedByOffset,
        stopped_by_limit: counts.stoppedByLimit,
        placeholder_tool_results: counts.placeholderToolResults,
      },
      scrubbed_secrets: counts.scrubbedSecrets,
      ...(counts.dpo ? { dpo: counts.dpo } : {}),
    },
    rubric_ids: [...input.rubricIds].sort(),
    judge_ids: [...input.judgeIds].sort(),
    judge_names: [...input.judgeNames].sort(),
  };
}
