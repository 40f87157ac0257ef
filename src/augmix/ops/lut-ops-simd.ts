/**
 * The look-up-table ops in WebAssembly (simd/kernels.wat, "look-up-table ops"): each image goes through the
 * module's memory a chunk at a time (copied in, rewritten in place, copied out), so the working set stays
 * in cache whatever the image size. Every function here gives exactly the bytes of its TypeScript twin in
 * lut-ops.ts, which serves when {@link simdKernels} is null.
 *
 * Memory layout of one call: the tables at 0, the histogram sets after them, then one chunk of data.
 */
import { CHANNELS } from '../image.js';
import { allocateImageDataToOverwrite } from './image-buffers.js';
import type { SimdKernels } from './simd/kernels.js';

const LEVELS = 256;
/** Channel counts per histogram set (3 × 256). */
const SET_COUNTS = CHANNELS * LEVELS;
/** Histogram sets the kernel spreads the pixels over (pixel j of each 8-pixel group counts in set j). */
const HIST_SETS = 8;

const LUT_AT = 0;
const HIST_AT = 1024;
const DATA_AT = HIST_AT + HIST_SETS * SET_COUNTS * 4;
/** The channel ranges (6 i32) and their kernel's 96-byte scratch, in the histogram area (never both at once). */
const RANGE_AT = HIST_AT;
const RANGE_SCRATCH_AT = HIST_AT + 32;
/** Bytes per chunk: whole 8-pixel groups (24 bytes), whole 48-byte (3-vector) steps. */
const CHUNK = 24 * 8 * 1024;
/** Room after a chunk for the vector kernels' last partial step. */
const VECTOR_ROOM = 16;

/** The module's memory, with room for the tables, the histograms and one chunk of an image of `length` bytes. */
function reserveFor(kernels: SimdKernels, length: number): Uint8Array {
  return kernels.reserve(DATA_AT + Math.min(CHUNK, length) + VECTOR_ROOM);
}

/** A kernel that rewrites the `n` bytes at `p` in place (and at most the 16 bytes after them). */
export type InPlaceKernel = (p: number, n: number, arg: number) => void;

/** `src` through `kernel(chunk, n, arg)` a chunk at a time, into a new buffer (the tables must already be set). */
function rewriteChunks(memory: Uint8Array, src: Uint8Array, kernel: InPlaceKernel, arg: number): Uint8Array {
  const length = src.length;
  // every byte is written below: a recycled buffer need not be zeroed first
  const out = allocateImageDataToOverwrite(length);
  for (let start = 0; start < length; start += CHUNK) {
    const end = Math.min(length, start + CHUNK);
    memory.set(src.subarray(start, end), DATA_AT);
    kernel(DATA_AT, end - start, arg);
    out.set(memory.subarray(DATA_AT, DATA_AT + end - start), start);
  }
  return out;
}

/**
 * Interleaved RGB `src` through an in-place kernel that needs no tables, in chunks of whole 4-pixel groups
 * (a new buffer).
 */
export function rewriteBytesSimd(
  kernels: SimdKernels,
  src: Uint8Array,
  kernel: InPlaceKernel,
  arg: number,
): Uint8Array {
  return rewriteChunks(reserveFor(kernels, src.length), src, kernel, arg);
}

/** Every value `v & mask` (posterize). */
export function maskBytesSimd(kernels: SimdKernels, src: Uint8Array, mask: number): Uint8Array {
  return rewriteBytesSimd(kernels, src, kernels.lutMask, mask);
}

/** Every value `v < threshold ? v : 255 - v`, for an integer `threshold` in 0..255 (solarize). */
export function solarizeBytesSimd(kernels: SimdKernels, src: Uint8Array, threshold: number): Uint8Array {
  return rewriteBytesSimd(kernels, src, kernels.lutSolarize, threshold);
}

/** Every value through one 256-entry table. */
export function mapBytesSimd(kernels: SimdKernels, src: Uint8Array, lut: Uint8Array): Uint8Array {
  const memory = reserveFor(kernels, src.length);
  memory.set(lut.subarray(0, LEVELS), LUT_AT);
  return rewriteChunks(memory, src, kernels.lutMapBytes, LUT_AT);
}

/** Every value of interleaved RGB `src` through its channel's table (`luts`: 3 × 256, R G B). */
export function applyChannelLutsSimd(kernels: SimdKernels, src: Uint8Array, luts: Uint8Array): Uint8Array {
  const memory = reserveFor(kernels, src.length);
  memory.set(luts.subarray(0, SET_COUNTS), LUT_AT);
  return rewriteChunks(memory, src, kernels.lutApplyChannels, LUT_AT);
}

/**
 * The smallest and the largest value of each channel of interleaved RGB `src`: [lo R, lo G, lo B, hi R, hi G,
 * hi B]; 255 and 0 when there are no pixels.
 */
export function channelRangesSimd(kernels: SimdKernels, src: Uint8Array): Int32Array {
  const length = src.length;
  const memory = reserveFor(kernels, length);
  const ranges = new Int32Array(memory.buffer, RANGE_AT, 2 * CHANNELS);
  ranges.set([255, 255, 255, 0, 0, 0]);
  for (let start = 0; start < length; start += CHUNK) {
    const end = Math.min(length, start + CHUNK);
    memory.set(src.subarray(start, end), DATA_AT);
    kernels.lutChannelRanges(DATA_AT, end - start, RANGE_AT, RANGE_SCRATCH_AT);
  }
  return ranges.slice();
}

/** The histograms of the three channels of interleaved RGB `src`, 3 × 256 counts (R, G, B). */
export function channelHistogramsSimd(kernels: SimdKernels, src: Uint8Array): Uint32Array {
  return histogramsSimd(kernels, src, kernels.lutHistograms, HIST_SETS, SET_COUNTS);
}

/**
 * Counts over `src` by a histogram kernel that spreads them over `sets` sets of `counts` u32 counters each
 * (at most {@link HIST_SETS} × {@link SET_COUNTS} counters in all; `counts` a multiple of 4), summed into one
 * set by `sumCounterSets`.
 */
export function histogramsSimd(
  kernels: SimdKernels,
  src: Uint8Array,
  kernel: InPlaceKernel,
  sets: number,
  counts: number,
): Uint32Array {
  if (sets * counts > HIST_SETS * SET_COUNTS) {
    throw new RangeError(
      `histogramsSimd: sets × counts is ${sets * counts} counters; expected at most ${HIST_SETS * SET_COUNTS}`,
    );
  }
  const length = src.length;
  const memory = reserveFor(kernels, length);
  memory.fill(0, HIST_AT, HIST_AT + sets * counts * 4);
  for (let start = 0; start < length; start += CHUNK) {
    const end = Math.min(length, start + CHUNK);
    memory.set(src.subarray(start, end), DATA_AT);
    kernel(DATA_AT, end - start, HIST_AT);
  }
  kernels.sumCounterSets(HIST_AT, sets, counts);
  return new Uint32Array(memory.buffer, HIST_AT, counts).slice();
}
