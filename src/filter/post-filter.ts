/**
 * The criteria checked on each session after SQL has selected it: named-judge bounds (stored in two shapes,
 * see `criteria.ts`) and `require_images` (a property of the messages). Each counts what it drops.
 * @module
 */
import type { SessionSummary } from '../tracing/store.ts';
import { type FilterCriteria, namedJudgeChecks } from './criteria.ts';
import { judgeScores } from './example-metadata.ts';
import type { SessionConversation } from './examples.ts';
import type { DroppedCount } from './manifest.ts';

/** Applies the post-SQL criteria in order and counts the sessions each one drops. */
export class PostFilter {
  readonly #checks;
  readonly #requireImages: boolean;
  readonly #dropped: Map<string, number> = new Map();

  constructor(criteria: FilterCriteria) {
    this.#checks = namedJudgeChecks(criteria);
    this.#requireImages = criteria.requireImages === true;
    for (const check of this.#checks) this.#dropped.set(check.name, 0);
    if (this.#requireImages) this.#dropped.set('require_images', 0);
  }

  /** Whether a session passes; `conversation` is the session's normalized messages. */
  accepts(session: SessionSummary, conversation: SessionConversation): boolean {
    if (this.#checks.length > 0) {
      const scores = judgeScores(session.judge_metadata);
      for (const check of this.#checks) {
        if (!check.passes(scores[check.judge])) return this.#drop(check.name);
      }
    }
    if (this.#requireImages && !conversation.hasImages) return this.#drop('require_images');
    return true;
  }

  /** Sessions dropped per criterion, in the order they are checked. */
  dropped(): DroppedCount[] {
    return [...this.#dropped].map(([criterion, sessions]) => ({ criterion, sessions }));
  }

  #drop(name: string): false {
    this.#dropped.set(name, (this.#dropped.get(name) ?? 0) + 1);
    return false;
  }
}
