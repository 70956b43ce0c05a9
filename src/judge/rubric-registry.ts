import { UsageError } from '../errors.ts';
import { CRAFTER_JUDGE_RUBRIC, CRAFTER_VERIFIER } from './crafter-rubric.ts';
import type { Verifier } from './programmatic-judge.ts';
import type { JudgeRubric } from './rubric-types.ts';

/** A rubric and, when it has one, the verifier that scores its criteria as functions. */
export interface RegisteredRubric {
  rubric: JudgeRubric;
  verifier: Verifier | null;
}

/** Rubrics by id. Task apps register theirs; a few come built in. */
export class RubricRegistry {
  readonly #entries = new Map<string, RegisteredRubric>();

  /** Adds or replaces a rubric (and its verifier). */
  register(rubric: JudgeRubric, verifier: Verifier | null = null): this {
    this.#entries.set(rubric.id, { rubric, verifier });
    return this;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** The rubric with this id, or a `UsageError` listing the known ids. */
  get(id: string): RegisteredRubric {
    const entry = this.#entries.get(id);
    if (!entry) {
      throw new UsageError(`unknown rubric "${id}"`, {
        hint: `known rubrics: ${[...this.#entries.keys()].join(', ') || 'none'}; or pass a rubric file (--rubric path.json|.toml)`,
      });
    }
    return entry;
  }

  ids(): string[] {
    return [...this.#entries.keys()];
  }
}

/**
 * A registry holding the built-in rubrics: Crafter's `crafter/bundle@v1` with its programmatic verifier
 * (also reachable as `crafter`, the env name).
 */
export function createRubricRegistry(): RubricRegistry {
  const registry = new RubricRegistry();
  registry.register(CRAFTER_JUDGE_RUBRIC, CRAFTER_VERIFIER);
  registry.register({ ...CRAFTER_JUDGE_RUBRIC, id: 'crafter' }, CRAFTER_VERIFIER);
  return registry;
}
