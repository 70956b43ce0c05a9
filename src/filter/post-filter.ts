/**
 * The criteria checked on each session after SQL has selected it: `require_images`, a property of the
 * messages (every score bound, named judges included, is SQL). Each counts what it drops.
 * @module
 */
import type { FilterCriteria } from './criteria.ts';
import type { SessionConversation } from './examples.ts';
import type { DroppedCount } from './manifest.ts';

/** Applies the post-SQL criteria in order and counts the sessions each one drops. */
export class PostFilter {
  readonly #requireImages: boolean;
  readonly #dropped: Map<string, number> = new Map();

  constructor(criteria: FilterCriteria) {
    this.#requireImages = criteria.requireImages === true;
    if (this.#requireImages) this.#dropped.set('require_images', 0);
  }

  /** Whether a session passes; `conversation` is the session's normalized messages. */
  accepts(conversation: SessionConversation): boolean {
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
