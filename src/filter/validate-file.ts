/**
 * `synth-ai filter --validate FILE`: streams a JSONL file and names each line that breaks OpenAI's
 * fine-tuning format, without loading the file.
 * @module
 */
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.ts';
import { validateExampleLine } from './validate-example.ts';

/** One bad line: 1-based number and the reason. */
export interface BadLine {
  line: number;
  reason: string;
}

/** The verdict on a file; `bad` keeps the first `maxReported` problems, `badCount` counts all. */
export interface ValidationReport {
  path: string;
  lines: number;
  badCount: number;
  bad: BadLine[];
}

/** Validates every line of a JSONL file (chat SFT or DPO lines, picked per line). */
export async function validateJsonlFile(path: string, maxReported = 1000): Promise<ValidationReport> {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`, { hint: 'pass the path of a JSONL dataset' });
  }
  const report: ValidationReport = { path, lines: 0, badCount: 0, bad: [] };
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const text of lines) {
    report.lines++;
    let reason: string | null;
    if (text.trim() === '') {
      reason = 'empty line';
    } else {
      try {
        reason = validateExampleLine(JSON.parse(text));
      } catch (error) {
        reason = `not valid JSON (${error instanceof Error ? error.message : String(error)})`;
      }
    }
    if (reason !== null) {
      report.badCount++;
      if (report.bad.length < maxReported) report.bad.push({ line: report.lines, reason });
    }
  }
  if (report.lines === 0) {
    report.badCount = 1;
    report.bad.push({ line: 0, reason: 'the file is empty' });
  }
  return report;
}
