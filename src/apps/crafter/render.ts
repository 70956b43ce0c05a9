/**
 * The optional image observation: the 9×7 local view drawn from flat tile colours with simple shapes for
 * creatures, plus a strip of vital bars. Deterministic (night darkening is a fixed factor, no noise), so
 * rendering never touches the episode's PRNG.
 * @module
 */
import { I, K, VIEW_H, VIEW_W } from './constants.ts';
import type { CrafterEngine } from './engine.ts';
import { localView } from './observation.ts';
import { encodePng } from './png.ts';

type Rgb = readonly [number, number, number];

/** Colours by semantic id (materials 0..12, objects 13..18). */
const COLOURS: Rgb[] = [
  [0, 0, 0],
  [60, 100, 220],
  [90, 170, 70],
  [120, 120, 120],
  [180, 160, 120],
  [220, 200, 140],
  [30, 100, 30],
  [230, 90, 20],
  [40, 40, 40],
  [200, 150, 110],
  [180, 240, 250],
  [140, 90, 40],
  [90, 60, 60],
  [250, 220, 60],
  [130, 80, 50],
  [40, 120, 60],
  [230, 230, 230],
  [200, 200, 0],
  [60, 200, 60],
];
const VITAL_COLOURS: Rgb[] = [
  [220, 40, 40],
  [200, 120, 40],
  [40, 120, 220],
  [220, 220, 60],
];

/** Renders the current view as a PNG data URL; `tile` is the size of one tile in pixels. */
export function renderFrame(engine: CrafterEngine, tile = 16): string {
  const width = VIEW_W * tile;
  const height = (VIEW_H + 1) * tile;
  const rgb = new Uint8Array(width * height * 3);
  const fill = (x0: number, y0: number, w: number, h: number, c: Rgb): void => {
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) {
        const o = (y * width + x) * 3;
        rgb[o] = c[0];
        rgb[o + 1] = c[1];
        rgb[o + 2] = c[2];
      }
    }
  };
  const view = localView(engine);
  const pad = tile >> 2;
  view.forEach((row, r) => {
    row.forEach((id, c) => {
      const x0 = c * tile;
      const y0 = r * tile;
      if (id >= 13) {
        // Creatures stand on the material below them: draw it, then a smaller body.
        const under = engine.world.material(
          engine.player.x + c - (VIEW_W >> 1),
          engine.player.y + r - (VIEW_H >> 1),
        );
        fill(x0, y0, tile, tile, COLOURS[under]!);
        const inset = id === 13 + K.arrow ? tile * 0.375 : pad;
        fill(x0 + inset, y0 + inset, tile - 2 * inset, tile - 2 * inset, COLOURS[id]!);
      } else {
        fill(x0, y0, tile, tile, COLOURS[id]!);
      }
    });
  });
  // The player's facing: a dark notch on the facing edge.
  const cx = (VIEW_W >> 1) * tile + (tile >> 1);
  const cy = (VIEW_H >> 1) * tile + (tile >> 1);
  const { fx, fy } = engine.player;
  fill(cx + fx * (tile >> 2) - 2, cy + fy * (tile >> 2) - 2, 4, 4, [0, 0, 0]);
  // Vitals strip: four bars, one per vital, length ∝ value/9.
  const barWidth = Math.floor(width / 4);
  for (let v = 0; v < 4; v++) {
    const len = Math.round(((barWidth - 4) * engine.inventory[I.health + v]!) / 9);
    fill(v * barWidth + 2, VIEW_H * tile + 2, len, tile - 4, VITAL_COLOURS[v]!);
  }
  // Night and sleep darken the view by a fixed factor (Crafter adds noise here; we do not, for determinism).
  const dark = engine.sleeping ? 0.35 : engine.daylight < 0.5 ? 0.5 + engine.daylight : 1;
  if (dark < 1) for (let i = 0; i < VIEW_H * tile * width * 3; i++) rgb[i] = Math.round(rgb[i]! * dark);
  return `data:image/png;base64,${encodePng(width, height, rgb).toString('base64')}`;
}
