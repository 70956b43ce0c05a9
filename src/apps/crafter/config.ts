/**
 * The Crafter environment's `env.config`: validated once, with one clear error per bad key.
 * @module
 */
import { UsageError } from '../../errors.ts';
import type { JsonObject } from '../../tracing/types.ts';
import { DEFAULT_EPISODE_LENGTH } from './constants.ts';

/** Resolved Crafter settings. */
export interface CrafterConfig {
  /** Attach a PNG frame to every observation. @default false */
  readonly renderImage: boolean;
  /** Step limit of an episode. @default 10000 */
  readonly episodeLength: number;
  /** Pixels per tile of the PNG frame. @default 16 */
  readonly imageTileSize: number;
}

/** Reads `render_image`, `episode_length` (alias `max_steps`) and `image_tile_size`; other keys are ignored. */
export function parseCrafterConfig(config: JsonObject = {}): CrafterConfig {
  const render = config['render_image'] ?? false;
  if (typeof render !== 'boolean') {
    throw new UsageError(`env.config.render_image must be true or false, got ${JSON.stringify(render)}`, {
      hint: 'set "render_image": true to receive PNG frames',
    });
  }
  const length = config['episode_length'] ?? config['max_steps'] ?? DEFAULT_EPISODE_LENGTH;
  if (
    typeof length !== 'number' ||
    !Number.isInteger(length) ||
    length < 1 ||
    length > DEFAULT_EPISODE_LENGTH
  ) {
    throw new UsageError(
      `env.config.episode_length must be an integer in 1..10000, got ${JSON.stringify(length)}`,
      {
        hint: 'leave it out for the standard 10,000-step limit',
      },
    );
  }
  const tile = config['image_tile_size'] ?? 16;
  if (typeof tile !== 'number' || !Number.isInteger(tile) || tile < 4 || tile > 64) {
    throw new UsageError(
      `env.config.image_tile_size must be an integer in 4..64, got ${JSON.stringify(tile)}`,
      {
        hint: 'the default is 16 pixels per tile',
      },
    );
  }
  return { renderImage: render, episodeLength: length, imageTileSize: tile };
}
