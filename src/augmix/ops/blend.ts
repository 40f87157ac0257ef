/**
 * Pillow `Image.blend(degenerate, image, factor)` for 8-bit values, the core of every enhancement op:
 * `t = fl32(D + fl32(α · (P − D)))` with `α = fl32(factor)`, truncated, clamped to 0..255
 * (docs/augmix-semantics.md, "Enhancement").
 * Float32 is emulated with `Math.fround` after every operation.
 *
 * For a given α the result depends only on the pair (D, P), so large images look it up in a 64 Ki-entry
 * table (or a 256-entry row when D is constant) filled with the very same expression: the pixels get
 * exactly the values the per-pixel formula gives, with one memory read each instead of the float work.
 */

import { allocateImageData } from './image-buffers.js';
import { mapBytes } from './lut-ops.js';

const fround = Math.fround;

/** From this many values on, filling the 65,536-entry pair table costs less than blending value by value. */
export const PAIR_TABLE_MIN_VALUES = 1 << 16;

/**
 * `fl32(α · diff)` for every `diff = P − D` in −255..255, at index `diff + 255`: the inner product of the
 * blend, shared by every pair with the same difference.
 */
function scaledDifferences(alpha: number): Float64Array {
  const scaled = new Float64Array(511);
  for (let diff = -255; diff <= 255; diff++) scaled[diff + 255] = fround(alpha * diff);
  return scaled;
}

/**
 * The blended 8-bit value from `t = fl32(D + scaled[P − D])`: truncation, with the clamp that Pillow applies
 * when α > 1 (for 0 ≤ α ≤ 1, t already lies between D and P, so the clamp never triggers).
 */
function toByte(t: number): number {
  return t <= 0 ? 0 : t >= 255 ? 255 : t | 0;
}

/** The blend of every (D, P) pair for one α, at index `D << 8 | P`. */
export function pairBlendTable(alpha: number): Uint8Array {
  const scaled = scaledDifferences(alpha);
  const table = new Uint8Array(1 << 16);
  for (let d = 0; d < 256; d++) {
    const row = d << 8;
    for (let p = 0; p < 256; p++) table[row | p] = toByte(fround(d + scaled[p - d + 255]!));
  }
  return table;
}

/** The blend of a constant degenerate value `d` with every P, at index P (brightness, contrast). */
export function rowBlendTable(alpha: number, d: number): Uint8Array {
  const scaled = scaledDifferences(alpha);
  const row = new Uint8Array(256);
  for (let p = 0; p < 256; p++) row[p] = toByte(fround(d + scaled[p - d + 255]!));
  return row;
}

/** Blends value by value: the same expression as {@link pairBlendTable}, per value. */
function blendEach(degenerate: Uint8Array, src: Uint8Array, alpha: number, out: Uint8Array): void {
  const scaled = scaledDifferences(alpha);
  for (let i = 0; i < src.length; i++) {
    const d = degenerate[i]!;
    out[i] = toByte(fround(d + scaled[src[i]! - d + 255]!));
  }
}

/**
 * Pillow `Image.blend(degenerate, image, factor)` on raw 8-bit data of equal length, value by value (the
 * ops that blend large images use the tables directly): α = 0 gives D and α = 1 the image (as in Pillow's
 * C code, which returns copies for those factors).
 */
export function blendBytes(degenerate: Uint8Array, src: Uint8Array, factor: number): Uint8Array {
  const alpha = fround(factor);
  if (alpha === 0) return degenerate.slice();
  if (alpha === 1) return src.slice();
  const out = allocateImageData(src.length);
  blendEach(degenerate, src, alpha, out);
  return out;
}

/** Blends every value with the constant degenerate value `d` (brightness: d = 0; contrast: the mean luma). */
export function blendWithConstant(src: Uint8Array, d: number, factor: number): Uint8Array {
  const alpha = fround(factor);
  if (alpha === 1) return src.slice();
  // α = 0 needs no special case: every entry is fl32(d + fl32(0 · diff)) = d
  return mapBytes(src, rowBlendTable(alpha, d));
}
