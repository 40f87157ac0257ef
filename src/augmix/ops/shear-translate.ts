/**
 * The shear and translate ops: Pillow affine transforms about the top-left corner (docs/augmix-semantics.md,
 * "Geometry").
 */
import { CHANNELS, type RgbImage } from '../image.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

import { affineBilinear } from './affine.js';
import { allocateImageData } from './image-buffers.js';

/** Output (x, y) samples the input at (x + s·y, y), pixel centres, origin at the top-left corner. */
export function shearX(image: RgbImage, s: number): RgbImage {
  return affineBilinear(image, [1, s, 0, 0, 1, 0]);
}

/** Output (x, y) samples the input at (x, y + s·x). */
export function shearY(image: RgbImage, s: number): RgbImage {
  return affineBilinear(image, [1, 0, 0, s, 1, 0]);
}

/**
 * Integer shift with black fill: output (x, y) = input (x + dx, y + dy). Exactly what the bilinear
 * transform gives for an integer offset (the fractions are 0), without interpolating.
 */
function shiftCopy(image: RgbImage, dx: number, dy: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const out = allocateImageData(src.length);
  const x0 = Math.max(0, -dx);
  const x1 = Math.min(width, width - dx);
  if (x0 >= x1) return { width, height, data: out };
  const rowStride = width * CHANNEL_COUNT;
  for (let y = 0; y < height; y++) {
    const sy = y + dy;
    if (sy < 0 || sy >= height) continue;
    const from = sy * rowStride + (x0 + dx) * CHANNEL_COUNT;
    out.set(src.subarray(from, from + (x1 - x0) * CHANNEL_COUNT), y * rowStride + x0 * CHANNEL_COUNT);
  }
  return { width, height, data: out };
}

/** Output (x, y) = input (x + t, y): positive t moves the picture left; uncovered columns are black. */
export function translateX(image: RgbImage, t: number): RgbImage {
  if (Number.isInteger(t)) return shiftCopy(image, Math.max(-image.width, Math.min(image.width, t)), 0);
  return affineBilinear(image, [1, 0, t, 0, 1, 0]);
}

/** Output (x, y) = input (x, y + t): positive t moves the picture up; uncovered rows are black. */
export function translateY(image: RgbImage, t: number): RgbImage {
  if (Number.isInteger(t)) return shiftCopy(image, 0, Math.max(-image.height, Math.min(image.height, t)));
  return affineBilinear(image, [1, 0, 0, 0, 1, t]);
}
