/**
 * Pillow `Image.transform(size, AFFINE, (a, b, c, d, e, f), BILINEAR)` with no fill colour (spec §1.2):
 * an inverse (output → input) map through pixel centres, edge-clamped bilinear sampling, truncation, and
 * hard black outside the source.
 */
import { CHANNELS, type RgbImage } from '../image.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

/** The sampling matrix `(a, b, c, d, e, f)`: output (X, Y) reads the input at (aX + bY + c, dX + eY + f). */
export type AffineMatrix = readonly [number, number, number, number, number, number];

/**
 * Applies an inverse affine map with bilinear sampling; the output has the input's size.
 *
 * For output pixel (x, y), with `X = x + 0.5`, `Y = y + 0.5`, it computes `u = (a*X + b*Y) + c` and
 * `v = (d*X + e*Y) + f` in float64 in exactly that order (`a*X` and `d*X` are hoisted per column and
 * `b*Y`, `e*Y` per row, which changes no rounding). Outside `[0, W) × [0, H)` the pixel is black; inside,
 * the 2×2 neighbours of `(u - 0.5, v - 0.5)` are edge-clamped, interpolated in float64 and truncated.
 */
export function affineBilinear(image: RgbImage, matrix: AffineMatrix): RgbImage {
  const [a, b, c, d, e, f] = matrix;
  // v = (0·X + 1·Y) + 0 = Y exactly: every output row samples its own source row with fy = 0
  if (d === 0 && e === 1 && f === 0) return sampleWithinRows(image, a, b, c);
  // u = (1·X + 0·Y) + 0 = X exactly: every output column samples its own source column with fx = 0
  if (a === 1 && b === 0 && c === 0) return sampleWithinColumns(image, d, e, f);
  return sampleBilinear(image, matrix);
}

/** The general case of {@link affineBilinear}. */
function sampleBilinear(image: RgbImage, matrix: AffineMatrix): RgbImage {
  const [a, b, c, d, e, f] = matrix;
  const { width, height } = image;
  const src = image.data;
  const out = new Uint8Array(src.length);
  const aX = new Float64Array(width);
  const dX = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    aX[x] = a * (x + 0.5);
    dX[x] = d * (x + 0.5);
  }
  const rowStride = width * CHANNEL_COUNT;
  const maxX = width - 1;
  const maxY = height - 1;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const bY = b * (y + 0.5);
    const eY = e * (y + 0.5);
    for (let x = 0; x < width; x++, o += CHANNEL_COUNT) {
      let u = aX[x]! + bY + c;
      let v = dX[x]! + eY + f;
      // `!(in bounds)` so that NaN also gives black
      if (!(u >= 0 && u < width && v >= 0 && v < height)) continue;
      u -= 0.5;
      v -= 0.5;
      const i = Math.floor(u);
      const j = Math.floor(v);
      const fx = u - i;
      const fy = v - j;
      // u - 0.5 is in [-0.5, W - 0.5), so only i can fall below 0 and only i + 1 beyond W - 1 (same for j)
      const col0 = Math.max(i, 0) * CHANNEL_COUNT;
      const col1 = Math.min(i + 1, maxX) * CHANNEL_COUNT;
      const row0 = Math.max(j, 0) * rowStride;
      const row1 = Math.min(j + 1, maxY) * rowStride;
      const p00 = row0 + col0;
      const p01 = row0 + col1;
      const p10 = row1 + col0;
      const p11 = row1 + col1;
      // per channel: top/bottom rows interpolated in x, then in y; 0 <= value < 256, so `| 0` truncates
      // like Pillow's (UINT8)double
      let s00 = src[p00]!;
      let s10 = src[p10]!;
      let top = s00 + (src[p01]! - s00) * fx;
      let bottom = s10 + (src[p11]! - s10) * fx;
      out[o] = (top + (bottom - top) * fy) | 0;
      s00 = src[p00 + 1]!;
      s10 = src[p10 + 1]!;
      top = s00 + (src[p01 + 1]! - s00) * fx;
      bottom = s10 + (src[p11 + 1]! - s10) * fx;
      out[o + 1] = (top + (bottom - top) * fy) | 0;
      s00 = src[p00 + 2]!;
      s10 = src[p10 + 2]!;
      top = s00 + (src[p01 + 2]! - s00) * fx;
      bottom = s10 + (src[p11 + 2]! - s10) * fx;
      out[o + 2] = (top + (bottom - top) * fy) | 0;
    }
  }
  return { width, height, data: out };
}

/**
 * {@link affineBilinear} when `v = Y` (shear_x, fractional translate_x): with fy = 0 the vertical
 * interpolation `top + (bottom - top) * 0` is exactly `top`, so it is skipped.
 */
function sampleWithinRows(image: RgbImage, a: number, b: number, c: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const out = new Uint8Array(src.length);
  const aX = new Float64Array(width);
  for (let x = 0; x < width; x++) aX[x] = a * (x + 0.5);
  const rowStride = width * CHANNEL_COUNT;
  const maxX = width - 1;
  for (let y = 0; y < height; y++) {
    const bY = b * (y + 0.5);
    const row = y * rowStride;
    for (let x = 0; x < width; x++) {
      let u = aX[x]! + bY + c;
      if (!(u >= 0 && u < width)) continue;
      u -= 0.5;
      const i = Math.floor(u);
      const fx = u - i;
      const p0 = row + Math.max(i, 0) * CHANNEL_COUNT;
      const p1 = row + Math.min(i + 1, maxX) * CHANNEL_COUNT;
      const o = row + x * CHANNEL_COUNT;
      let s0 = src[p0]!;
      out[o] = (s0 + (src[p1]! - s0) * fx) | 0;
      s0 = src[p0 + 1]!;
      out[o + 1] = (s0 + (src[p1 + 1]! - s0) * fx) | 0;
      s0 = src[p0 + 2]!;
      out[o + 2] = (s0 + (src[p1 + 2]! - s0) * fx) | 0;
    }
  }
  return { width, height, data: out };
}

/**
 * {@link affineBilinear} when `u = X` (shear_y, fractional translate_y): with fx = 0 each row's horizontal
 * interpolation is exactly its left sample, so only the vertical one is computed.
 */
function sampleWithinColumns(image: RgbImage, d: number, e: number, f: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const out = new Uint8Array(src.length);
  const dX = new Float64Array(width);
  for (let x = 0; x < width; x++) dX[x] = d * (x + 0.5);
  const rowStride = width * CHANNEL_COUNT;
  const maxY = height - 1;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const eY = e * (y + 0.5);
    for (let x = 0; x < width; x++, o += CHANNEL_COUNT) {
      let v = dX[x]! + eY + f;
      if (!(v >= 0 && v < height)) continue;
      v -= 0.5;
      const j = Math.floor(v);
      const fy = v - j;
      const col = x * CHANNEL_COUNT;
      const p0 = Math.max(j, 0) * rowStride + col;
      const p1 = Math.min(j + 1, maxY) * rowStride + col;
      let s0 = src[p0]!;
      out[o] = (s0 + (src[p1]! - s0) * fy) | 0;
      s0 = src[p0 + 1]!;
      out[o + 1] = (s0 + (src[p1 + 1]! - s0) * fy) | 0;
      s0 = src[p0 + 2]!;
      out[o + 2] = (s0 + (src[p1 + 2]! - s0) * fy) | 0;
    }
  }
  return { width, height, data: out };
}
