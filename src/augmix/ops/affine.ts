/**
 * Pillow `Image.transform(size, AFFINE, (a, b, c, d, e, f), BILINEAR)` with no fill colour (spec §1.2):
 * an inverse (output → input) map through pixel centres, edge-clamped bilinear sampling, truncation, and
 * hard black outside the source.
 */
import { CHANNELS, type RgbImage } from '../image.js';

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
  const { width, height } = image;
  const src = image.data;
  const out = new Uint8Array(src.length);
  const aX = new Float64Array(width);
  const dX = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    aX[x] = a * (x + 0.5);
    dX[x] = d * (x + 0.5);
  }
  const rowStride = width * CHANNELS;
  const maxX = width - 1;
  const maxY = height - 1;
  let o = 0;
  for (let y = 0; y < height; y++) {
    const bY = b * (y + 0.5);
    const eY = e * (y + 0.5);
    for (let x = 0; x < width; x++, o += CHANNELS) {
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
      const i0 = Math.min(Math.max(i, 0), maxX) * CHANNELS;
      const i1 = Math.min(Math.max(i + 1, 0), maxX) * CHANNELS;
      const row0 = Math.min(Math.max(j, 0), maxY) * rowStride;
      const row1 = Math.min(Math.max(j + 1, 0), maxY) * rowStride;
      const p00 = row0 + i0;
      const p01 = row0 + i1;
      const p10 = row1 + i0;
      const p11 = row1 + i1;
      for (let ch = 0; ch < CHANNELS; ch++) {
        const s00 = src[p00 + ch]!;
        const s10 = src[p10 + ch]!;
        const top = s00 + (src[p01 + ch]! - s00) * fx;
        const bottom = s10 + (src[p11 + ch]! - s10) * fx;
        // 0 <= value < 256, so `| 0` is the (UINT8)double truncation
        out[o + ch] = (top + (bottom - top) * fy) | 0;
      }
    }
  }
  return { width, height, data: out };
}
