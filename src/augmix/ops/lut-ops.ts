/**
 * The per-channel lookup-table ops: autocontrast, equalize, posterize, solarize (Pillow `ImageOps`).
 * Each builds one 256-entry table per channel and maps every value through it (docs/augmix-semantics.md,
 * "Look-up-table ops").
 *
 * Where the WebAssembly kernels load ({@link simdKernels}), the per-value work (histograms, table lookups,
 * and posterize and solarize as bit operations on 16 values at a time) runs there (lut-ops-simd.ts); the
 * loops here are the reference those kernels are tested against, and serve where WebAssembly SIMD is missing.
 */
import { CHANNELS, type RgbImage } from '../image.js';
import { allocateImageData } from './image-buffers.js';
import {
  applyChannelLutsSimd,
  channelHistogramsSimd,
  channelRangesSimd,
  mapBytesSimd,
  maskBytesSimd,
  solarizeBytesSimd,
} from './lut-ops-simd.js';
import { simdKernels } from './simd/kernels.js';
import { pixelGroupWords, wordView } from './words.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

const LEVELS = 256;
/** Offsets of the G and B tables (and histograms) in a 3 × 256 channel table. */
const G = LEVELS;
const B = 2 * LEVELS;

/**
 * Maps every channel value through its channel's table: `luts` holds 3 × 256 entries (R, G, B).
 * Without the WebAssembly kernels, whole groups of 4 pixels go word-at-a-time: a 12-byte group is 3 words
 * whose bytes are the channels R G B R | G B R G | B R G B, so each byte is looked up in its channel's table
 * at a fixed offset.
 */
export function applyChannelLuts(image: RgbImage, luts: Uint8Array): RgbImage {
  const kernels = simdKernels();
  if (kernels !== null) {
    return {
      width: image.width,
      height: image.height,
      data: applyChannelLutsSimd(kernels, image.data, luts),
    };
  }
  const src = image.data;
  const out = allocateImageData(src.length);
  const groupWords = pixelGroupWords(src.length);
  const words = wordView(src, groupWords);
  // bytes covered by the word loop, known before it runs (see words.ts on why)
  const done = words ? groupWords * 4 : 0;
  if (words) {
    mapChannelWords(words, new Uint32Array(out.buffer, 0, groupWords), luts);
  }
  for (let i = done; i < src.length; i += CHANNEL_COUNT) {
    out[i] = luts[src[i]!]!;
    out[i + 1] = luts[G + src[i + 1]!]!;
    out[i + 2] = luts[B + src[i + 2]!]!;
  }
  return { width: image.width, height: image.height, data: out };
}

/** {@link applyChannelLuts} on whole 4-pixel groups (3 words each). */
function mapChannelWords(src: Uint32Array, out: Uint32Array, luts: Uint8Array): void {
  for (let k = 0; k < src.length; k += 3) {
    const w0 = src[k]!;
    const w1 = src[k + 1]!;
    const w2 = src[k + 2]!;
    out[k] =
      luts[w0 & 0xff]! |
      (luts[G + ((w0 >>> 8) & 0xff)]! << 8) |
      (luts[B + ((w0 >>> 16) & 0xff)]! << 16) |
      (luts[w0 >>> 24]! << 24);
    out[k + 1] =
      luts[G + (w1 & 0xff)]! |
      (luts[B + ((w1 >>> 8) & 0xff)]! << 8) |
      (luts[(w1 >>> 16) & 0xff]! << 16) |
      (luts[G + (w1 >>> 24)]! << 24);
    out[k + 2] =
      luts[B + (w2 & 0xff)]! |
      (luts[(w2 >>> 8) & 0xff]! << 8) |
      (luts[G + ((w2 >>> 16) & 0xff)]! << 16) |
      (luts[B + (w2 >>> 24)]! << 24);
  }
}

/**
 * Maps every value through one 256-entry table (all channels alike); without the WebAssembly kernels, a
 * word (4 values) at a time where the data is word-aligned.
 */
export function mapBytes(src: Uint8Array, lut: Uint8Array): Uint8Array {
  const kernels = simdKernels();
  if (kernels !== null) return mapBytesSimd(kernels, src, lut);
  const length = src.length;
  const out = allocateImageData(length);
  const wordCount = length >>> 2;
  const words = wordView(src, wordCount);
  let done = 0;
  if (words) {
    mapWords(words, new Uint32Array(out.buffer, 0, wordCount), lut);
    done = wordCount * 4;
  }
  for (let i = done; i < length; i++) out[i] = lut[src[i]!]!;
  return out;
}

/** {@link mapBytes} on whole words: each of a word's 4 bytes through the table. */
function mapWords(src: Uint32Array, out: Uint32Array, lut: Uint8Array): void {
  for (let k = 0; k < src.length; k++) {
    const w = src[k]!;
    out[k] =
      lut[w & 0xff]! |
      (lut[(w >>> 8) & 0xff]! << 8) |
      (lut[(w >>> 16) & 0xff]! << 16) |
      (lut[w >>> 24]! << 24);
  }
}

/** Applies the same table to all three channels. */
function applyLut(image: RgbImage, lut: Uint8Array): RgbImage {
  return { width: image.width, height: image.height, data: mapBytes(image.data, lut) };
}

/** Histograms of the three channels in one pass, 3 × 256 counts (R, G, B). */
export function channelHistograms(image: RgbImage): Uint32Array {
  const src = image.data;
  const kernels = simdKernels();
  if (kernels !== null) return channelHistogramsSimd(kernels, src);
  const hist = new Uint32Array(CHANNEL_COUNT * LEVELS);
  const groupWords = pixelGroupWords(src.length);
  const words = wordView(src, groupWords);
  // bytes covered by the word loop, known before it runs (see words.ts on why)
  const done = words ? groupWords * 4 : 0;
  if (words) {
    countChannelWords(words, hist);
  }
  for (let i = done; i < src.length; i += CHANNEL_COUNT) {
    hist[src[i]!]!++;
    hist[G + src[i + 1]!]!++;
    hist[B + src[i + 2]!]!++;
  }
  return hist;
}

/** {@link channelHistograms} on whole 4-pixel groups (3 words each, channels as in {@link mapChannelWords}). */
function countChannelWords(src: Uint32Array, hist: Uint32Array): void {
  for (let k = 0; k < src.length; k += 3) {
    const w0 = src[k]!;
    const w1 = src[k + 1]!;
    const w2 = src[k + 2]!;
    hist[w0 & 0xff]!++;
    hist[G + ((w0 >>> 8) & 0xff)]!++;
    hist[B + ((w0 >>> 16) & 0xff)]!++;
    hist[w0 >>> 24]!++;
    hist[G + (w1 & 0xff)]!++;
    hist[B + ((w1 >>> 8) & 0xff)]!++;
    hist[(w1 >>> 16) & 0xff]!++;
    hist[G + (w1 >>> 24)]!++;
    hist[B + (w2 & 0xff)]!++;
    hist[(w2 >>> 8) & 0xff]!++;
    hist[G + ((w2 >>> 16) & 0xff)]!++;
    hist[B + (w2 >>> 24)]!++;
  }
}

/**
 * The smallest and the largest value of each channel, [lo R, lo G, lo B, hi R, hi G, hi B]: the first and the
 * last non-zero histogram entry (without the WebAssembly kernels), or a vector min/max pass (with them). An
 * image without pixels gets some lo > hi either way.
 */
export function channelRanges(image: RgbImage): Int32Array {
  const kernels = simdKernels();
  if (kernels !== null) return channelRangesSimd(kernels, image.data);
  const hist = channelHistograms(image);
  const ranges = new Int32Array(2 * CHANNEL_COUNT);
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    const base = c * LEVELS;
    let lo = 0;
    while (lo < LEVELS && hist[base + lo] === 0) lo++;
    let hi = LEVELS - 1;
    while (hi >= 0 && hist[base + hi] === 0) hi--;
    ranges[c] = lo;
    ranges[CHANNEL_COUNT + c] = hi;
  }
  return ranges;
}

function setIdentity(luts: Uint8Array, base: number): void {
  for (let i = 0; i < LEVELS; i++) luts[base + i] = i;
}

/**
 * Pillow `ImageOps.autocontrast` (cutoff 0): each channel is stretched so that its smallest value maps to
 * 0 and its largest to 255 — computed as `trunc(i * scale + offset)` in float64 with `scale = 255 / (hi - lo)`
 * and `offset = -lo * scale`, so for some (lo, hi) pairs `hi` maps to 254, exactly as Pillow does.
 * A channel with a single value is unchanged.
 */
export function autocontrast(image: RgbImage): RgbImage {
  const ranges = channelRanges(image);
  const luts = new Uint8Array(CHANNEL_COUNT * LEVELS);
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    const base = c * LEVELS;
    const lo = ranges[c]!;
    const hi = ranges[CHANNEL_COUNT + c]!;
    if (hi <= lo) {
      setIdentity(luts, base);
      continue;
    }
    const scale = 255.0 / (hi - lo);
    const offset = -lo * scale;
    for (let i = 0; i < LEVELS; i++) {
      const v = Math.trunc(i * scale + offset);
      luts[base + i] = v < 0 ? 0 : Math.min(v, 255);
    }
  }
  return applyChannelLuts(image, luts);
}

/**
 * Pillow `ImageOps.equalize`: per channel, with `step = floor((N - h[vmax]) / 255)`,
 * `LUT[i] = floor((floor(step / 2) + Σ_{j<i} h[j]) / step)` clipped to 255. A channel with one distinct
 * value, or with `step = 0`, is unchanged.
 */
export function equalize(image: RgbImage): RgbImage {
  const hist = channelHistograms(image);
  const luts = new Uint8Array(CHANNEL_COUNT * LEVELS);
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    const base = c * LEVELS;
    let total = 0;
    let distinct = 0;
    let last = 0;
    for (let i = 0; i < LEVELS; i++) {
      const count = hist[base + i]!;
      if (count > 0) {
        total += count;
        distinct++;
        last = count;
      }
    }
    const step = distinct <= 1 ? 0 : Math.floor((total - last) / 255);
    if (step === 0) {
      setIdentity(luts, base);
      continue;
    }
    let n = Math.floor(step / 2);
    for (let i = 0; i < LEVELS; i++) {
      const v = Math.floor(n / step);
      luts[base + i] = Math.min(v, 255);
      n += hist[base + i]!;
    }
  }
  return applyChannelLuts(image, luts);
}

/** Keeps the `bits` most significant bits of every value (an integer 0..8; 0 = black, 8 = identity). */
export function posterize(image: RgbImage, bits: number): RgbImage {
  const mask = ~(2 ** (8 - bits) - 1) & 0xff;
  const kernels = simdKernels();
  if (kernels !== null) {
    // the table below is i & mask: the same bytes as one AND per value
    return { width: image.width, height: image.height, data: maskBytesSimd(kernels, image.data, mask) };
  }
  const lut = new Uint8Array(LEVELS);
  for (let i = 0; i < LEVELS; i++) lut[i] = i & mask;
  return applyLut(image, lut);
}

/** Inverts (`255 - v`) every value `>= threshold`; `threshold >= 256` changes nothing, `<= 0` inverts all. */
export function solarize(image: RgbImage, threshold: number): RgbImage {
  const kernels = simdKernels();
  if (kernels !== null) {
    // the values below the threshold (kept) are 0..kept-1, since `i < threshold` holds for a prefix of 0..255
    let kept = 0;
    while (kept < LEVELS && kept < threshold) kept++;
    const data =
      kept === LEVELS
        ? maskBytesSimd(kernels, image.data, 0xff)
        : solarizeBytesSimd(kernels, image.data, kept);
    return { width: image.width, height: image.height, data };
  }
  const lut = new Uint8Array(LEVELS);
  for (let i = 0; i < LEVELS; i++) lut[i] = i < threshold ? i : 255 - i;
  return applyLut(image, lut);
}
