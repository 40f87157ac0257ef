/**
 * The enhancement ops (Pillow `ImageEnhance`): `enhance(f)` = `Image.blend(degenerate, image, f)` in float32
 * with truncation (docs/augmix-semantics.md, "Enhancement"; the blend itself is in `blend.ts`).
 */
import { CHANNELS, type RgbImage } from '../image.js';
import { blendBytes, blendWithConstant, PAIR_TABLE_MIN_VALUES, pairBlendTable } from './blend.js';
import { colorSimd, lumaHistogramSimd, sharpnessSimd } from './enhance-simd.js';
import { allocateImageData } from './image-buffers.js';
import { simdKernels } from './simd/kernels.js';
import { nextKernelRows, smoothBytes, smoothedByte, startKernelRows } from './smooth.js';
import { pixelGroupWords, wordView } from './words.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

const fround = Math.fround;

/**
 * Pillow `Image.blend(degenerate, image, factor)`: `t = fl32(D + fl32(α · (P − D)))` with `α = fl32(factor)`,
 * truncated; clamped to 0..255 when α > 1 (or α < 0). α = 0 gives D and α = 1 the image.
 */
export function blend(degenerate: Uint8Array, image: RgbImage, factor: number): RgbImage {
  return { width: image.width, height: image.height, data: blendBytes(degenerate, image.data, factor) };
}

/** Pillow's integer RGB → L conversion (ITU-R 601): `(19595 R + 38470 G + 7471 B + 32768) >> 16`. */
export function luma(r: number, g: number, b: number): number {
  return (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;
}

/** The image's grey (luma replicated to R, G and B): the degenerate image of Color. */
function greyBytes(src: Uint8Array): Uint8Array {
  const grey = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += CHANNEL_COUNT) {
    const l = luma(src[i]!, src[i + 1]!, src[i + 2]!);
    grey[i] = l;
    grey[i + 1] = l;
    grey[i + 2] = l;
  }
  return grey;
}

/**
 * `ImageEnhance.Color`: blends with the image's grey (luma replicated to R, G and B). With the WebAssembly
 * kernels, 4 pixels a step in enhance-simd.ts; otherwise large images skip the grey image: each pixel's luma
 * L selects the pair-table row, and R, G and B are looked up in it.
 */
export function color(image: RgbImage, factor: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const alpha = fround(factor);
  const kernels = simdKernels();
  if (kernels !== null) return { width, height, data: colorSimd(kernels, src, alpha) };
  if (alpha === 1 || src.length < PAIR_TABLE_MIN_VALUES) {
    return { width, height, data: blendBytes(greyBytes(src), src, factor) };
  }
  const table = pairBlendTable(alpha);
  const out = allocateImageData(src.length);
  const groupWords = pixelGroupWords(src.length);
  const words = wordView(src, groupWords);
  // bytes covered by the word loop, known before it runs (see words.ts on why)
  const done = words ? groupWords * 4 : 0;
  if (words) {
    colorWords(words, new Uint32Array(out.buffer, 0, groupWords), table);
  }
  for (let i = done; i < src.length; i += CHANNEL_COUNT) {
    const row = luma(src[i]!, src[i + 1]!, src[i + 2]!) << 8;
    out[i] = table[row | src[i]!]!;
    out[i + 1] = table[row | src[i + 1]!]!;
    out[i + 2] = table[row | src[i + 2]!]!;
  }
  return { width, height, data: out };
}

/**
 * {@link color} on whole 4-pixel groups: words R0 G0 B0 R1 | G1 B1 R2 G2 | B2 R3 G3 B3 (lowest byte first);
 * `lN` is pixel N's luma shifted to select its pair-table row.
 */
function colorWords(src: Uint32Array, out: Uint32Array, table: Uint8Array): void {
  for (let k = 0; k < src.length; k += 3) {
    const w0 = src[k]!;
    const w1 = src[k + 1]!;
    const w2 = src[k + 2]!;
    const r0 = w0 & 0xff;
    const g0 = (w0 >>> 8) & 0xff;
    const b0 = (w0 >>> 16) & 0xff;
    const r1 = w0 >>> 24;
    const g1 = w1 & 0xff;
    const b1 = (w1 >>> 8) & 0xff;
    const r2 = (w1 >>> 16) & 0xff;
    const g2 = w1 >>> 24;
    const b2 = w2 & 0xff;
    const r3 = (w2 >>> 8) & 0xff;
    const g3 = (w2 >>> 16) & 0xff;
    const b3 = w2 >>> 24;
    const l0 = luma(r0, g0, b0) << 8;
    const l1 = luma(r1, g1, b1) << 8;
    const l2 = luma(r2, g2, b2) << 8;
    const l3 = luma(r3, g3, b3) << 8;
    out[k] = table[l0 | r0]! | (table[l0 | g0]! << 8) | (table[l0 | b0]! << 16) | (table[l1 | r1]! << 24);
    out[k + 1] = table[l1 | g1]! | (table[l1 | b1]! << 8) | (table[l2 | r2]! << 16) | (table[l2 | g2]! << 24);
    out[k + 2] = table[l2 | b2]! | (table[l3 | r3]! << 8) | (table[l3 | g3]! << 16) | (table[l3 | b3]! << 24);
  }
}

/**
 * `ImageEnhance.Contrast`: blends with a flat image of the rounded mean luma, `floor(mean + 0.5)`, where the
 * mean is `Σ v · h[v] / N` over the luma histogram, summed in float64 for v ascending.
 */
export function contrast(image: RgbImage, factor: number): RgbImage {
  const src = image.data;
  const hist = lumaHistogram(src);
  let total = 0;
  for (let v = 0; v < 256; v++) total += v * hist[v]!;
  const mean = Math.floor(total / (image.width * image.height) + 0.5);
  return { width: image.width, height: image.height, data: blendWithConstant(src, mean, factor) };
}

/**
 * Counts of each luma value over all pixels: in WebAssembly where it loads (enhance-simd.ts), else whole
 * 4-pixel groups a word at a time, as in `colorWords`.
 */
function lumaHistogram(src: Uint8Array): Uint32Array {
  const kernels = simdKernels();
  if (kernels !== null) return lumaHistogramSimd(kernels, src);
  const length = src.length;
  const hist = new Uint32Array(256);
  const groupWords = pixelGroupWords(length);
  const words = wordView(src, groupWords);
  let done = 0;
  if (words) {
    countLumaWords(words, hist);
    done = groupWords * 4;
  }
  for (let i = done; i < length; i += CHANNEL_COUNT) hist[luma(src[i]!, src[i + 1]!, src[i + 2]!)]!++;
  return hist;
}

/** {@link lumaHistogram} on whole 4-pixel groups (3 words each, pixels as in {@link colorWords}). */
function countLumaWords(src: Uint32Array, hist: Uint32Array): void {
  for (let k = 0; k < src.length; k += 3) {
    const w0 = src[k]!;
    const w1 = src[k + 1]!;
    const w2 = src[k + 2]!;
    hist[luma(w0 & 0xff, (w0 >>> 8) & 0xff, (w0 >>> 16) & 0xff)]!++;
    hist[luma(w0 >>> 24, w1 & 0xff, (w1 >>> 8) & 0xff)]!++;
    hist[luma((w1 >>> 16) & 0xff, w1 >>> 24, w2 & 0xff)]!++;
    hist[luma((w2 >>> 8) & 0xff, (w2 >>> 16) & 0xff, w2 >>> 24)]!++;
  }
}

/** `ImageEnhance.Brightness`: blends with black (a 256-entry table, since D = 0 everywhere). */
export function brightness(image: RgbImage, factor: number): RgbImage {
  return { width: image.width, height: image.height, data: blendWithConstant(image.data, 0, factor) };
}

/**
 * Pillow `ImageFilter.SMOOTH` (kernel [[1,1,1],[1,5,1],[1,1,1]] / 13 in float32, + 0.5, truncation) on the
 * interior; the 1-pixel border is copied, and images under 3×3 are returned unchanged (see `smooth.ts`).
 */
export function smooth(image: RgbImage): Uint8Array {
  return smoothBytes(image.data, image.width, image.height);
}

/**
 * `ImageEnhance.Sharpness`: blends with the SMOOTH-filtered image (f < 1 blurs, f > 1 sharpens).
 *
 * Where the WebAssembly kernels load, images of at least 3×3 run in enhance-simd.ts (the same float32
 * operations in f32x4 lanes); the TypeScript below is the reference it is tested against.
 * Large images blend each smoothed value as soon as it is computed (pair table, no smoothed image). The
 * border needs no work: there D = P, and `fl32(P + fl32(α · 0)) = P` for every α, so the output border is
 * the input border, which the initial copy already holds.
 */
export function sharpness(image: RgbImage, factor: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const alpha = fround(factor);
  // an infinite α (|factor| beyond float32) stays on the TypeScript path, whose border then depends on the image size
  const kernels = width >= 3 && height >= 3 && Number.isFinite(alpha) ? simdKernels() : null;
  if (kernels !== null) return { width, height, data: sharpnessSimd(kernels, src, width, height, alpha) };
  if (alpha === 0 || alpha === 1 || src.length < PAIR_TABLE_MIN_VALUES || width < 3 || height < 3) {
    return { width, height, data: blendBytes(smoothBytes(src, width, height), src, factor) };
  }
  const table = pairBlendTable(alpha);
  const out = src.slice();
  const rows = startKernelRows(src, width);
  for (let y = 1; y < height - 1; y++) {
    nextKernelRows(rows, src, width);
    const stride = width * CHANNEL_COUNT;
    sharpenRow(rows.below, rows.centre, rows.above, src, out, y * stride, stride, table);
  }
  return { width, height, data: out };
}

/** Blends the interior values of one row (offset `row`) with their smoothed values through the pair table. */
function sharpenRow(
  below: Float32Array,
  centre: Float32Array,
  above: Float32Array,
  src: Uint8Array,
  out: Uint8Array,
  row: number,
  stride: number,
  table: Uint8Array,
): void {
  for (let i = CHANNEL_COUNT; i < stride - CHANNEL_COUNT; i++) {
    const d = smoothedByte(below[i]!, centre[i]!, above[i]!);
    out[row + i] = table[(d << 8) | src[row + i]!]!;
  }
}
