/**
 * The enhancement ops (Pillow `ImageEnhance`): `enhance(f)` = `Image.blend(degenerate, image, f)` in float32
 * with truncation (spec §1.2). Float32 is emulated with `Math.fround` after every operation.
 */
import { CHANNELS, type RgbImage } from '../image.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

const fround = Math.fround;

/**
 * Pillow `Image.blend(degenerate, image, factor)`: `t = fl32(D + fl32(α · (P − D)))` with `α = fl32(factor)`,
 * truncated; clamped to 0..255 when α > 1 (or α < 0). α = 0 gives D and α = 1 the image.
 */
export function blend(degenerate: Uint8Array, image: RgbImage, factor: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const alpha = fround(factor);
  if (alpha === 0) return { width, height, data: degenerate.slice() };
  if (alpha === 1) return { width, height, data: src.slice() };
  // fl32(α · diff) for every diff = P - D in -255..255
  const scaled = new Float64Array(511);
  for (let diff = -255; diff <= 255; diff++) scaled[diff + 255] = fround(alpha * diff);
  const out = new Uint8Array(src.length);
  if (alpha >= 0 && alpha <= 1) {
    // t stays within [0, 255]: storing into a Uint8Array truncates, like (UINT8)float
    for (let i = 0; i < src.length; i++) {
      const d = degenerate[i]!;
      out[i] = fround(d + scaled[src[i]! - d + 255]!);
    }
  } else {
    for (let i = 0; i < src.length; i++) {
      const d = degenerate[i]!;
      const t = fround(d + scaled[src[i]! - d + 255]!);
      out[i] = t <= 0 ? 0 : Math.min(t, 255);
    }
  }
  return { width, height, data: out };
}

/** Pillow's integer RGB → L conversion (ITU-R 601): `(19595 R + 38470 G + 7471 B + 32768) >> 16`. */
export function luma(r: number, g: number, b: number): number {
  return (19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16;
}

/** `ImageEnhance.Color`: blends with the image's grey (luma replicated to R, G and B). */
export function color(image: RgbImage, factor: number): RgbImage {
  const src = image.data;
  const grey = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += CHANNEL_COUNT) {
    const l = luma(src[i]!, src[i + 1]!, src[i + 2]!);
    grey[i] = l;
    grey[i + 1] = l;
    grey[i + 2] = l;
  }
  return blend(grey, image, factor);
}

/** `ImageEnhance.Contrast`: blends with a flat image of the rounded mean luma, `floor(mean + 0.5)`. */
export function contrast(image: RgbImage, factor: number): RgbImage {
  const src = image.data;
  const hist = new Float64Array(256);
  for (let i = 0; i < src.length; i += CHANNEL_COUNT) hist[luma(src[i]!, src[i + 1]!, src[i + 2]!)]!++;
  let total = 0;
  for (let v = 0; v < 256; v++) total += v * hist[v]!;
  const mean = Math.floor(total / (image.width * image.height) + 0.5);
  return blend(new Uint8Array(src.length).fill(mean), image, factor);
}

/** `ImageEnhance.Brightness`: blends with black. */
export function brightness(image: RgbImage, factor: number): RgbImage {
  return blend(new Uint8Array(image.data.length), image, factor);
}

const K1 = fround(1 / 13);
const K5 = fround(5 / 13);
/** fl32(v · k1) and fl32(v · k5) for every 8-bit v. */
const TIMES_K1 = Float64Array.from({ length: 256 }, (_, v) => fround(v * K1));
const TIMES_K5 = Float64Array.from({ length: 256 }, (_, v) => fround(v * K5));

/**
 * One kernel row for every interior value of image row `row`:
 * `fl32(fl32(fl32(P[x-1]·k1) + fl32(P[x]·km)) + fl32(P[x+1]·k1))`, with km = k1 or k5.
 */
function kernelRow(
  src: Uint8Array,
  row: number,
  stride: number,
  middle: Float64Array,
  out: Float64Array,
): void {
  for (let i = CHANNEL_COUNT; i < stride - CHANNEL_COUNT; i++) {
    const p = row + i;
    out[i] = fround(
      fround(TIMES_K1[src[p - CHANNEL_COUNT]!]! + middle[src[p]!]!) + TIMES_K1[src[p + CHANNEL_COUNT]!]!,
    );
  }
}

/**
 * Pillow `ImageFilter.SMOOTH` (kernel [[1,1,1],[1,5,1],[1,1,1]] / 13 in float32, + 0.5, truncation) on the
 * interior: `s = fl32(fl32(fl32(0.5 + R(y+1)) + R(y)) + R(y-1))`, where R(y±1) uses the all-k1 row and R(y)
 * the k5-centred one (each row's all-k1 sums are computed once and used for the rows above and below).
 * The 1-pixel border is copied, and images under 3×3 are returned unchanged.
 */
export function smooth(image: RgbImage): Uint8Array {
  const { width, height } = image;
  const src = image.data;
  const out = src.slice();
  if (width < 3 || height < 3) return out;
  const stride = width * CHANNEL_COUNT;
  let above = new Float64Array(stride);
  let current = new Float64Array(stride);
  let below = new Float64Array(stride);
  const centre = new Float64Array(stride);
  kernelRow(src, 0, stride, TIMES_K1, above);
  kernelRow(src, stride, stride, TIMES_K1, current);
  for (let y = 1; y < height - 1; y++) {
    const row = y * stride;
    kernelRow(src, row + stride, stride, TIMES_K1, below);
    kernelRow(src, row, stride, TIMES_K5, centre);
    for (let i = CHANNEL_COUNT; i < stride - CHANNEL_COUNT; i++) {
      const s = fround(fround(fround(0.5 + below[i]!) + centre[i]!) + above[i]!);
      out[row + i] = s <= 0 ? 0 : Math.min(s, 255);
    }
    const spare = above;
    above = current;
    current = below;
    below = spare;
  }
  return out;
}

/** `ImageEnhance.Sharpness`: blends with the SMOOTH-filtered image (f < 1 blurs, f > 1 sharpens). */
export function sharpness(image: RgbImage, factor: number): RgbImage {
  return blend(smooth(image), image, factor);
}
