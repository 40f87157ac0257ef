/**
 * The enhancement ops (Pillow `ImageEnhance`): `enhance(f)` = `Image.blend(degenerate, image, f)` in float32
 * with truncation (spec §1.2). Float32 is emulated with `Math.fround` after every operation.
 */
import { CHANNELS, type RgbImage } from '../image.js';

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
  const out = new Uint8Array(src.length);
  if (alpha >= 0 && alpha <= 1) {
    for (let i = 0; i < src.length; i++) {
      const d = degenerate[i]!;
      out[i] = fround(d + fround(alpha * (src[i]! - d)));
    }
  } else {
    for (let i = 0; i < src.length; i++) {
      const d = degenerate[i]!;
      const t = fround(d + fround(alpha * (src[i]! - d)));
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
  for (let i = 0; i < src.length; i += CHANNELS) {
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
  for (let i = 0; i < src.length; i += CHANNELS) hist[luma(src[i]!, src[i + 1]!, src[i + 2]!)]!++;
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

/**
 * Pillow `ImageFilter.SMOOTH` (kernel [[1,1,1],[1,5,1],[1,1,1]] / 13 in float32, + 0.5, truncation) on the
 * interior; the 1-pixel border is copied, and images under 3×3 are returned unchanged.
 */
export function smooth(image: RgbImage): Uint8Array {
  const { width, height } = image;
  const src = image.data;
  const out = src.slice();
  if (width < 3 || height < 3) return out;
  const stride = width * CHANNELS;
  for (let y = 1; y < height - 1; y++) {
    const rowUp = (y - 1) * stride;
    const row = y * stride;
    const rowDown = (y + 1) * stride;
    for (let i = CHANNELS; i < stride - CHANNELS; i++) {
      const down = fround(
        fround(fround(src[rowDown + i - CHANNELS]! * K1) + fround(src[rowDown + i]! * K1)) +
          fround(src[rowDown + i + CHANNELS]! * K1),
      );
      const mid = fround(
        fround(fround(src[row + i - CHANNELS]! * K1) + fround(src[row + i]! * K5)) +
          fround(src[row + i + CHANNELS]! * K1),
      );
      const up = fround(
        fround(fround(src[rowUp + i - CHANNELS]! * K1) + fround(src[rowUp + i]! * K1)) +
          fround(src[rowUp + i + CHANNELS]! * K1),
      );
      const s = fround(fround(fround(0.5 + down) + mid) + up);
      out[row + i] = s <= 0 ? 0 : Math.min(s, 255);
    }
  }
  return out;
}

/** `ImageEnhance.Sharpness`: blends with the SMOOTH-filtered image (f < 1 blurs, f > 1 sharpens). */
export function sharpness(image: RgbImage, factor: number): RgbImage {
  return blend(smooth(image), image, factor);
}
