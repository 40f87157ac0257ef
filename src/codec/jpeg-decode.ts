import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { simdKernels } from '../augmix/ops/simd/kernels.js';
import { decodeWithKernels } from './jpeg-decode-simd.js';
import { clampByte, inverseDct } from './jpeg-idct.js';
import { decodeCoefficients, type Frame, mcuLayout, readSegments } from './jpeg-scan.js';

/**
 * JPEGs of at most this many pixels are decoded by {@link decodePlainJpeg} when they are plain: below this size
 * sharp's fixed cost per call outweighs its faster decoding (docs/jpeg-reader.md, "Measured").
 */
export const JS_JPEG_MAX_PIXELS = 131_072;

/**
 * Decodes the plain JPEGs of image datasets in JS, to the pixels sharp decodes (docs/jpeg-reader.md; a test
 * compares them): baseline or extended sequential Huffman, 8-bit, YCbCr in one interleaved scan, 4:2:0 or
 * 4:4:4, no restart markers, no EXIF, ICC or Adobe segment (whose orientation, profile or colour transform
 * sharp would apply). Anything else, or anything unexpected in the data (a truncated scan, a bad code, bytes
 * after the scan other than EOI), returns `null`, and the caller asks sharp, which reports errors as before.
 */
export function decodePlainJpeg(bytes: Uint8Array): RgbImage | null {
  const frame = readSegments(bytes);
  if (frame === null) return null;
  const kernels = simdKernels();
  if (kernels !== null) return decodeWithKernels(bytes, frame, kernels);
  const coefficients = new Int32Array(mcuLayout(frame).blocks * 64);
  if (!decodeCoefficients(bytes, frame, coefficients)) return null;
  return toRgb(frame, inverseBlocks(frame, coefficients));
}

interface Planes {
  /** Y, Cb, Cr samples, each plane `stride` wide, covering whole MCUs. */
  readonly samples: readonly [Uint8Array, Uint8Array, Uint8Array];
  readonly strides: readonly [number, number, number];
}

/** The sample planes of the decoded blocks (each plane covers whole MCUs). */
function inverseBlocks(frame: Frame, coefficients: Int32Array): Planes {
  const { factor } = frame;
  const { mcuSize, mcuColumns, mcuRows, lumaStride, chromaStride } = mcuLayout(frame);
  const samples: [Uint8Array, Uint8Array, Uint8Array] = [
    new Uint8Array(lumaStride * mcuRows * mcuSize),
    new Uint8Array(chromaStride * mcuRows * 8),
    new Uint8Array(chromaStride * mcuRows * 8),
  ];
  let block = 0;
  for (let mcuRow = 0; mcuRow < mcuRows; mcuRow++) {
    for (let mcuColumn = 0; mcuColumn < mcuColumns; mcuColumn++) {
      for (let c = 0; c < 3; c++) {
        const blocks = c === 0 ? factor * factor : 1;
        const stride = c === 0 ? lumaStride : chromaStride;
        for (let b = 0; b < blocks; b++, block++) {
          const x = (c === 0 ? mcuColumn * mcuSize : mcuColumn * 8) + (b & 1) * 8;
          const y = (c === 0 ? mcuRow * mcuSize : mcuRow * 8) + (b >> 1) * 8;
          inverseDct(coefficients.subarray(block * 64, block * 64 + 64), samples[c]!, y * stride + x, stride);
        }
      }
    }
  }
  return { samples, strides: [lumaStride, chromaStride, chromaStride] };
}

/** Fixed-point YCbCr -> RGB (16 fraction bits, libjpeg-turbo's constants and rounding). */
const CR_R = 91881;
const CB_B = 116130;
const CR_G = -46802;
const CB_G = -22554;
const HALF = 32768;

/**
 * Upsamples chroma (4:2:0: the "fancy" triangular filter, from the two nearest chroma rows and columns with
 * weights 3 and 1, rows past the edges repeating the edge row) and converts to RGB.
 */
function toRgb(frame: Frame, { samples, strides }: Planes): RgbImage {
  const { width, height, factor } = frame;
  const data = new Uint8Array(width * height * CHANNELS);
  const [luma, cb, cr] = samples;
  const cbRow = new Uint8Array(width + 1);
  const crRow = new Uint8Array(width + 1);
  const chromaWidth = Math.ceil(width / 2);
  const chromaHeight = Math.ceil(height / 2);
  for (let y = 0; y < height; y++) {
    if (factor === 1) {
      cbRow.set(cb.subarray(y * strides[1], y * strides[1] + width));
      crRow.set(cr.subarray(y * strides[2], y * strides[2] + width));
    } else {
      const near = y >> 1;
      const far = y & 1 ? Math.min(near + 1, chromaHeight - 1) : Math.max(near - 1, 0);
      fancyRow(cb, strides[1], near, far, chromaWidth, cbRow);
      fancyRow(cr, strides[2], near, far, chromaWidth, crRow);
    }
    const lumaAt = y * strides[0];
    for (let x = 0, o = y * width * CHANNELS; x < width; x++, o += CHANNELS) {
      const l = luma[lumaAt + x]!;
      const b = cbRow[x]! - 128;
      const r = crRow[x]! - 128;
      data[o] = clampByte(l + ((CR_R * r + HALF) >> 16));
      data[o + 1] = clampByte(l + ((CB_G * b + HALF + CR_G * r) >> 16));
      data[o + 2] = clampByte(l + ((CB_B * b + HALF) >> 16));
    }
  }
  return { width, height, data };
}

/** One full-resolution chroma row (2 * chromaWidth values) from chroma rows `near` (weight 3) and `far`. */
function fancyRow(
  plane: Uint8Array,
  stride: number,
  near: number,
  far: number,
  chromaWidth: number,
  out: Uint8Array,
): void {
  const a = near * stride;
  const b = far * stride;
  let last = plane[a]! * 3 + plane[b]!;
  let current = last;
  let next = plane[a + 1]! * 3 + plane[b + 1]!;
  out[0] = (current * 4 + 8) >> 4;
  out[1] = (current * 3 + next + 7) >> 4;
  for (let x = 1; x < chromaWidth - 1; x++) {
    last = current;
    current = next;
    next = plane[a + x + 1]! * 3 + plane[b + x + 1]!;
    out[2 * x] = (current * 3 + last + 8) >> 4;
    out[2 * x + 1] = (current * 3 + next + 7) >> 4;
  }
  last = current;
  current = next;
  const end = 2 * (chromaWidth - 1);
  out[end] = (current * 3 + last + 8) >> 4;
  out[end + 1] = (current * 4 + 7) >> 4;
}
