import type { RgbImage } from '../augmix/image.js';
import { CELL_HEIGHT, CELL_WIDTH, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './font.js';

/** An RGB colour, 0..255 per channel. */
export type Rgb = readonly [number, number, number];

export interface DrawTextOptions {
  /** Ink colour. @default [0, 0, 0] */
  readonly color?: Rgb;
  /** Integer magnification: each font pixel becomes `scale x scale` pixels. @default 1 */
  readonly scale?: number;
}

/**
 * Draws `text` (one line, printable ASCII; other characters show as `?`) into `image` with its top-left
 * corner at (`x`, `y`), in the built-in bitmap font. Pixels outside the image are clipped. Returns the
 * x coordinate after the last character.
 */
export function drawText(
  image: RgbImage,
  x: number,
  y: number,
  text: string,
  options: DrawTextOptions = {},
): number {
  const [r, g, b] = options.color ?? [0, 0, 0];
  const scale = options.scale ?? 1;
  let penX = x;
  for (const char of text) {
    const rows = glyphRows(char);
    for (let row = 0; row < GLYPH_HEIGHT; row += 1) {
      const mask = rows[row]!;
      for (let column = 0; column < GLYPH_WIDTH; column += 1) {
        if ((mask >> (GLYPH_WIDTH - 1 - column)) & 1) {
          fillRect(image, penX + column * scale, y + row * scale, scale, scale, [r, g, b]);
        }
      }
    }
    penX += CELL_WIDTH * scale;
  }
  return penX;
}

/** Width in pixels of `text` drawn at `scale` (the trailing spacing column excluded). */
export function textWidth(text: string, scale = 1): number {
  const length = [...text].length;
  return length === 0 ? 0 : (length * CELL_WIDTH - 1) * scale;
}

/** Height of one line of text at `scale` (glyph plus line spacing). */
export function lineHeight(scale = 1): number {
  return CELL_HEIGHT * scale;
}

/** Shortens `text` with a trailing `~` so that it fits in `width` pixels at `scale`. */
export function fitText(text: string, width: number, scale = 1): string {
  const chars = [...text];
  const fits = Math.max(0, Math.floor((width / scale + 1) / CELL_WIDTH));
  return chars.length <= fits ? text : `${chars.slice(0, Math.max(0, fits - 1)).join('')}~`;
}

/** Fills a rectangle (clipped to the image). */
export function fillRect(
  image: RgbImage,
  x: number,
  y: number,
  width: number,
  height: number,
  color: Rgb,
): void {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(image.width, x + width);
  const y1 = Math.min(image.height, y + height);
  for (let py = y0; py < y1; py += 1) {
    for (let px = x0; px < x1; px += 1) {
      const i = (py * image.width + px) * 3;
      image.data[i] = color[0];
      image.data[i + 1] = color[1];
      image.data[i + 2] = color[2];
    }
  }
}
