/**
 * The judges of `[eval]`: `[eval.judge]` (one judge, seed 000), its named sub-tables `[eval.judge.<name>]`,
 * and the list form `[[eval.judges]]`.
 * @module
 */
import { z } from 'zod';
import { isTable, type Report, withRules } from './common.ts';
import {
  checkJudgeSpec,
  hasJudgeFields,
  namedJudgeSchema,
  namedJudgeShape,
  type ResolvedJudge,
  resolveJudge,
} from './judge.ts';

/** The name the judge written directly in `[eval.judge]` gets when it has no `name`. */
export const MAIN_JUDGE_NAME = 'primary';

/**
 * `[eval.judge]`: its own keys describe the main judge; every sub-table is a named judge. A key that is
 * neither is reported as unknown (the catch-all only accepts tables).
 */
export const evalJudgeTableSchema = withRules(
  // Typed `unknown` for the declarations: a named judge's fields next to an index signature of judges is a
  // type TypeScript rejects in a .d.ts (TS2411 for every consumer with skipLibCheck off). Checked the same.
  z.object(namedJudgeShape()).catchall(namedJudgeSchema as z.ZodType<unknown>),
  checkJudgeSpec,
);

/** `[[eval.judges]]`: a list of named judges. */
export const evalJudgeListSchema = z.array(namedJudgeSchema);

/** Reports judges that share a name (their scores would overwrite each other). */
export function checkJudgeNames(value: Record<string, unknown>, report: Report): void {
  const seen = new Set<string>();
  const judge = value.judge;
  if (isTable(judge)) {
    if (hasJudgeFields(judge)) seen.add(typeof judge.name === 'string' ? judge.name : MAIN_JUDGE_NAME);
    for (const [key, sub] of Object.entries(judge)) {
      if (key in namedJudgeShape() || !isTable(sub)) continue;
      const name = typeof sub.name === 'string' ? sub.name : key;
      if (seen.has(name)) report(['judge', key], `two judges are named "${name}"`);
      seen.add(name);
    }
  }
  if (Array.isArray(value.judges)) {
    value.judges.forEach((item, index) => {
      if (!isTable(item)) return;
      if (typeof item.name !== 'string') {
        report(['judges', index], 'each [[eval.judges]] entry needs a name');
        return;
      }
      if (seen.has(item.name)) report(['judges', index, 'name'], `two judges are named "${item.name}"`);
      seen.add(item.name);
    });
  }
}

/** The judges of an `[eval]` table in order: the main judge, named sub-tables, then the list. */
export function resolveEvalJudges(
  judge: Record<string, unknown> | undefined,
  judges: readonly Record<string, unknown>[] | undefined,
): ResolvedJudge[] {
  const out: ResolvedJudge[] = [];
  const shapeKeys = new Set(Object.keys(namedJudgeShape()));
  if (judge) {
    if (hasJudgeFields(judge)) {
      out.push(resolveJudge(typeof judge.name === 'string' ? judge.name : MAIN_JUDGE_NAME, judge));
    }
    for (const [key, sub] of Object.entries(judge)) {
      if (shapeKeys.has(key) || !isTable(sub)) continue;
      out.push(resolveJudge(typeof sub.name === 'string' ? sub.name : key, sub));
    }
  }
  for (const item of judges ?? []) out.push(resolveJudge(String(item.name), item));
  return out;
}
