/**
 * The last steps every exported line goes through, in order: validate, serialize, scrub secrets, drop exact
 * duplicates, apply offset and limit, write. Keeps only counts and fingerprints, never lines.
 * @module
 */
import type { AtomicFile } from './atomic-file.ts';
import { FingerprintSet } from './fingerprint-set.ts';
import type { FilterCounts } from './manifest.ts';
import { fingerprintPieces, type MessagePiece } from './message-pieces.ts';
import { redactSecretLike } from './scrub.ts';

const MAX_REASONS = 20;

/** Settings of a sink. */
export interface SinkSettings {
  keepDuplicates: boolean;
  offset: number;
  limit: number;
  /** The format's validator: first problem, or null. */
  validate: (line: unknown) => string | null;
}

/** Writes lines through validation, scrubbing, dedup, offset and limit. */
export class ExampleSink {
  readonly #file: AtomicFile;
  readonly #settings: SinkSettings;
  readonly #counts: FilterCounts;
  readonly #seen = new FingerprintSet();

  constructor(file: AtomicFile, settings: SinkSettings, counts: FilterCounts) {
    this.#file = file;
    this.#settings = settings;
    this.#counts = counts;
  }

  /** True once `limit` lines are written: the caller stops reading. */
  get full(): boolean {
    return this.#counts.examplesWritten >= this.#settings.limit;
  }

  /** Undefined, or a promise to await before offering more lines (the output's backpressure). */
  ready(): Promise<void> | undefined {
    return this.#file.ready();
  }

  /** Scrubs a session's metadata once and returns its JSON, for {@link push}. */
  metadataJson(metadata: object): string {
    const scrubbed = redactSecretLike(JSON.stringify(metadata));
    this.#counts.scrubbedSecrets += scrubbed.count;
    return scrubbed.text;
  }

  /**
   * Offers one chat example made of cached message pieces (see `message-pieces.ts`): the same steps as
   * {@link push}, but serialization, scrubbing and hashing were done once per message. `body` is the example
   * as objects, for validation.
   */
  pushPieces(
    body: object,
    pieces: readonly MessagePiece[],
    tools: MessagePiece | undefined,
    metadataJson: string,
  ): boolean {
    if (this.full) return false;
    this.#counts.examplesBuilt++;
    if (!this.#valid(body)) return false;
    if (!this.#settings.keepDuplicates) {
      const [hi, lo] = fingerprintPieces(pieces, tools);
      if (!this.#seen.addPair(hi, lo)) {
        this.#counts.duplicates++;
        return false;
      }
    }
    if (this.#counts.skippedByOffset < this.#settings.offset) {
      this.#counts.skippedByOffset++;
      return false;
    }
    // Written piece by piece: the pieces are shared by many lines, and joining them first would copy each.
    const file = this.#file;
    file.writeAscii('{"messages":[');
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) file.writeAscii(',');
      const piece = pieces[i]!;
      if (piece.bytes) file.writeBytes(piece.bytes);
      else file.write(piece.json);
    }
    if (tools) {
      file.writeAscii('],"tools":');
      file.write(tools.json);
      file.writeAscii(',"metadata":');
    } else file.writeAscii('],"metadata":');
    file.write(metadataJson);
    file.writeAscii('}\n');
    this.#counts.examplesWritten++;
    if (this.full) this.#counts.stoppedByLimit = true;
    return true;
  }

  #valid(body: object): boolean {
    const problem = this.#settings.validate(body);
    if (problem === null) return true;
    this.#counts.invalid++;
    if (this.#counts.invalidReasons.length < MAX_REASONS) this.#counts.invalidReasons.push(problem);
    return false;
  }

  /**
   * Offers one example (without metadata; dedup looks at the training content only, since every session's
   * metadata differs). Returns whether it was written.
   */
  push(body: object, metadataJson: string): boolean {
    if (this.full) return false;
    this.#counts.examplesBuilt++;
    if (!this.#valid(body)) return false;
    const scrubbed = redactSecretLike(JSON.stringify(body));
    this.#counts.scrubbedSecrets += scrubbed.count;
    if (!this.#settings.keepDuplicates && !this.#seen.addText(scrubbed.text)) {
      this.#counts.duplicates++;
      return false;
    }
    if (this.#counts.skippedByOffset < this.#settings.offset) {
      this.#counts.skippedByOffset++;
      return false;
    }
    this.#file.write(`${scrubbed.text.slice(0, -1)},"metadata":${metadataJson}}\n`);
    this.#counts.examplesWritten++;
    if (this.full) this.#counts.stoppedByLimit = true;
    return true;
  }
}
