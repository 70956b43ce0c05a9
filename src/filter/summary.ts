/**
 * The text a filter run prints: sessions in, what each criterion dropped, what happened to the examples,
 * then seed 002's `Wrote N examples -> PATH`.
 * @module
 */
import { isAbsolute, relative } from 'node:path';
import type { FilterResult } from './run-filter.ts';

/** Paths under the working folder print relative (as seed 002 shows them), others absolute. */
function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Formats the summary lines (ending with a newline). */
export function formatFilterSummary(result: FilterResult): string {
  const c = result.counts;
  const lines = [`sessions in DB: ${c.sessionsTotal}`];
  for (const d of c.dropped)
    lines.push(`  ${d.criterion} dropped ${d.sessions} session${d.sessions === 1 ? '' : 's'}`);
  lines.push(`sessions matched: ${c.sessionsMatched}, read: ${c.sessionsRead}, used: ${c.sessionsUsed}`);
  const parts = [`built ${c.examplesBuilt}`, `duplicates removed ${c.duplicates}`, `invalid ${c.invalid}`];
  if (c.skippedByOffset > 0) parts.push(`skipped by offset ${c.skippedByOffset}`);
  if (c.stoppedByLimit) parts.push('limit reached');
  parts.push(`secrets scrubbed ${c.scrubbedSecrets}`);
  if (c.placeholderToolResults > 0) parts.push(`placeholder tool results ${c.placeholderToolResults}`);
  lines.push(`examples: ${parts.join(', ')}`);
  if (c.dpo) {
    const skipped = Object.entries(c.dpo.skipped).map(([why, n]) => `${why}: ${n}`);
    lines.push(
      `dpo: ${c.dpo.groups} groups, ${c.dpo.pairs} pairs${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}`,
    );
  }
  for (const reason of c.invalidReasons.slice(0, 3)) lines.push(`  invalid example: ${reason}`);
  lines.push(`Wrote ${c.examplesWritten} examples -> ${display(result.output)}`);
  lines.push(`Manifest -> ${display(result.manifestPath)}`);
  return `${lines.join('\n')}\n`;
}
