/**
 * Pillow `Image.transform(size, AFFINE, (a, b, c, d, e, f), BILINEAR)` with no fill colour
 * (docs/augmix-semantics.md, "Geometry"):
 * an inverse (output → input) map through pixel centres, edge-clamped bilinear sampling, truncation, and
 * hard black outside the source.
 *
 * Every path below evaluates the float64 expressions of docs/augmix-semantics.md in their order; they differ only in what
 * they can skip without changing a result:
 * - `a*X`, `d*X` are computed once per column and `b*Y`, `e*Y` once per row, then `u = (aX + bY) + c` is the
 *   same expression with the same operands;
 * - a sample whose 2×2 neighbourhood lies inside the image needs no clamping (the clamps are identities),
 *   so only samples on the outer ring go through the clamping helper;
 * - when a matrix keeps rows (`v = Y` exactly) or columns (`u = X` exactly), the fraction on that axis is
 *   exactly 0 and the interpolation along it returns its first operand unchanged.
 */
import { CHANNELS, type RgbImage } from '../image.js';
import { allocateImageData, allocateImageDataToOverwrite } from './image-buffers.js';
import { align8, type SimdKernels, simdKernels } from './simd/kernels.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

/** The sampling matrix `(a, b, c, d, e, f)`: output (X, Y) reads the input at (aX + bY + c, dX + eY + f). */
export type AffineMatrix = readonly [number, number, number, number, number, number];

/** Marks an output pixel that the interpolation pass skips (black, or already written as an edge sample). */
const SKIP = -1;

/**
 * Applies an inverse affine map with bilinear sampling; the output has the input's size.
 *
 * For output pixel (x, y), with `X = x + 0.5`, `Y = y + 0.5`, it computes `u = (a*X + b*Y) + c` and
 * `v = (d*X + e*Y) + f` in float64 in exactly that order. Outside `[0, W) × [0, H)` the pixel is black;
 * inside, the 2×2 neighbours of `(u - 0.5, v - 0.5)` are edge-clamped, interpolated in float64 and truncated.
 */
export function affineBilinear(image: RgbImage, matrix: AffineMatrix): RgbImage {
  const kernels = simdKernels();
  return kernels === null
    ? affineBilinearReference(image, matrix)
    : affineBilinearSimd(kernels, image, matrix);
}

/** {@link affineBilinear} in TypeScript alone: the reference the WebAssembly path is tested against. */
export function affineBilinearReference(image: RgbImage, matrix: AffineMatrix): RgbImage {
  const [a, b, c, d, e, f] = matrix;
  // v = (0·X + 1·Y) + 0 = Y exactly: every output row samples its own source row with fy = 0
  if (d === 0 && e === 1 && f === 0) return sampleWithinRows(image, a, b, c);
  // u = (1·X + 0·Y) + 0 = X exactly: every output column samples its own source column with fx = 0
  if (a === 1 && b === 0 && c === 0) return sampleWithinColumns(image, d, e, f);
  return sampleBilinear(image, matrix);
}

/** `k * (x + 0.5)` for every column x (the documented `a*X` or `d*X`). */
function columnTerms(k: number, width: number): Float64Array {
  const terms = new Float64Array(width);
  for (let x = 0; x < width; x++) terms[x] = k * (x + 0.5);
  return terms;
}

/**
 * One sample with the documented clamping, for points whose 2×2 neighbourhood crosses the image border.
 * `u`, `v` are the in-bounds source coordinates before the half-pixel shift.
 */
function sampleClamped(image: RgbImage, out: Uint8Array, o: number, u: number, v: number): void {
  const { width, height, data: src } = image;
  const us = u - 0.5;
  const vs = v - 0.5;
  const i = Math.floor(us);
  const j = Math.floor(vs);
  const fx = us - i;
  const fy = vs - j;
  const col0 = Math.min(Math.max(i, 0), width - 1) * CHANNEL_COUNT;
  const col1 = Math.min(Math.max(i + 1, 0), width - 1) * CHANNEL_COUNT;
  const row0 = Math.min(Math.max(j, 0), height - 1) * width * CHANNEL_COUNT;
  const row1 = Math.min(Math.max(j + 1, 0), height - 1) * width * CHANNEL_COUNT;
  for (let ch = 0; ch < CHANNEL_COUNT; ch++) {
    const s00 = src[row0 + col0 + ch]!;
    const s10 = src[row1 + col0 + ch]!;
    const top = s00 + (src[row0 + col1 + ch]! - s00) * fx;
    const bottom = s10 + (src[row1 + col1 + ch]! - s10) * fx;
    // 0 <= value < 256, so `| 0` is Pillow's (UINT8)double truncation
    out[o + ch] = (top + (bottom - top) * fy) | 0;
  }
}

/** Per-row scratch of the general path: each output pixel's source offset (or {@link SKIP}) and fractions. */
interface RowSamples {
  readonly offsets: Int32Array;
  readonly fx: Float64Array;
  readonly fy: Float64Array;
}

/**
 * First pass over an output row: the source point of every pixel. Black pixels and edge samples (written
 * here through {@link sampleClamped}) get {@link SKIP}; interior samples get the offset of their top-left
 * neighbour and their fractions, for {@link interpolateRow}.
 */
function locateRow(
  image: RgbImage,
  out: Uint8Array,
  rowOut: number,
  aX: Float64Array,
  dX: Float64Array,
  bY: number,
  eY: number,
  c: number,
  f: number,
  samples: RowSamples,
): void {
  const { width, height } = image;
  const { offsets, fx, fy } = samples;
  const maxX = width - 1;
  const maxY = height - 1;
  const stride = width * CHANNEL_COUNT;
  for (let x = 0; x < width; x++) {
    const u = aX[x]! + bY + c;
    const v = dX[x]! + eY + f;
    offsets[x] = SKIP;
    // `!(in bounds)` so that NaN also gives black
    if (!(u >= 0 && u < width && v >= 0 && v < height)) continue;
    const us = u - 0.5;
    const vs = v - 0.5;
    // us, vs >= -0.5, so the floors are >= -1 and fit an int32
    const i = Math.floor(us) | 0;
    const j = Math.floor(vs) | 0;
    if (i >= 0 && i < maxX && j >= 0 && j < maxY) {
      offsets[x] = j * stride + i * CHANNEL_COUNT;
      fx[x] = us - i;
      fy[x] = vs - j;
    } else {
      sampleClamped(image, out, rowOut + x * CHANNEL_COUNT, u, v);
    }
  }
}

/** Second pass: bilinear interpolation of the interior samples located by {@link locateRow}. */
function interpolateRow(
  src: Uint8Array,
  out: Uint8Array,
  rowOut: number,
  stride: number,
  samples: RowSamples,
): void {
  const { offsets, fx: fxs, fy: fys } = samples;
  for (let x = 0, o = rowOut; x < offsets.length; x++, o += CHANNEL_COUNT) {
    const p = offsets[x]!;
    if (p === SKIP) continue;
    const fx = fxs[x]!;
    const fy = fys[x]!;
    const q = p + stride;
    let s00 = src[p]!;
    let s10 = src[q]!;
    let top = s00 + (src[p + 3]! - s00) * fx;
    let bottom = s10 + (src[q + 3]! - s10) * fx;
    out[o] = (top + (bottom - top) * fy) | 0;
    s00 = src[p + 1]!;
    s10 = src[q + 1]!;
    top = s00 + (src[p + 4]! - s00) * fx;
    bottom = s10 + (src[q + 4]! - s10) * fx;
    out[o + 1] = (top + (bottom - top) * fy) | 0;
    s00 = src[p + 2]!;
    s10 = src[q + 2]!;
    top = s00 + (src[p + 5]! - s00) * fx;
    bottom = s10 + (src[q + 5]! - s10) * fx;
    out[o + 2] = (top + (bottom - top) * fy) | 0;
  }
}

/** The general case of {@link affineBilinear} (rotate), one output row at a time in two passes. */
function sampleBilinear(image: RgbImage, matrix: AffineMatrix): RgbImage {
  const [a, b, c, d, e, f] = matrix;
  const { width, height } = image;
  const out = allocateImageData(image.data.length);
  const aX = columnTerms(a, width);
  const dX = columnTerms(d, width);
  const samples: RowSamples = {
    offsets: new Int32Array(width),
    fx: new Float64Array(width),
    fy: new Float64Array(width),
  };
  const stride = width * CHANNEL_COUNT;
  for (let y = 0; y < height; y++) {
    const rowOut = y * stride;
    locateRow(image, out, rowOut, aX, dX, b * (y + 0.5), e * (y + 0.5), c, f, samples);
    interpolateRow(image.data, out, rowOut, stride, samples);
  }
  return { width, height, data: out };
}

/**
 * {@link affineBilinear} when `v = Y` (shear_x, fractional translate_x): with fy = 0 the vertical
 * interpolation `top + (bottom - top) * 0` is exactly `top`, so each value is `trunc(s0 + (s1 - s0) * fx)`
 * from its own source row.
 */
function sampleWithinRows(image: RgbImage, a: number, b: number, c: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const out = allocateImageData(src.length);
  const aX = columnTerms(a, width);
  const stride = width * CHANNEL_COUNT;
  for (let y = 0; y < height; y++) {
    interpolateWithinRow(src, out, y * stride, aX, b * (y + 0.5), c);
  }
  return { width, height, data: out };
}

/** One output row of {@link sampleWithinRows}; `row` is the offset of both the source and the output row. */
function interpolateWithinRow(
  src: Uint8Array,
  out: Uint8Array,
  row: number,
  aX: Float64Array,
  bY: number,
  c: number,
): void {
  const width = aX.length;
  const maxX = width - 1;
  for (let x = 0, o = row; x < width; x++, o += CHANNEL_COUNT) {
    const u = aX[x]! + bY + c;
    if (!(u >= 0 && u < width)) continue;
    const us = u - 0.5;
    const i = Math.floor(us) | 0;
    const fx = us - i;
    // clamping matters only for i = -1 (left half pixel) and i = W - 1 (right half pixel)
    let p0 = row + i * CHANNEL_COUNT;
    let p1 = p0 + CHANNEL_COUNT;
    if (i < 0) p0 = row;
    else if (i >= maxX) p1 = p0;
    let s0 = src[p0]!;
    out[o] = (s0 + (src[p1]! - s0) * fx) | 0;
    s0 = src[p0 + 1]!;
    out[o + 1] = (s0 + (src[p1 + 1]! - s0) * fx) | 0;
    s0 = src[p0 + 2]!;
    out[o + 2] = (s0 + (src[p1 + 2]! - s0) * fx) | 0;
  }
}

/**
 * {@link affineBilinear} when `u = X` (shear_y, fractional translate_y): with fx = 0 each row's horizontal
 * interpolation is exactly its left sample, so each value is `trunc(s0 + (s1 - s0) * fy)` from its own
 * source column.
 */
function sampleWithinColumns(image: RgbImage, d: number, e: number, f: number): RgbImage {
  const { width, height } = image;
  const src = image.data;
  const out = allocateImageData(src.length);
  const dX = columnTerms(d, width);
  const stride = width * CHANNEL_COUNT;
  for (let y = 0; y < height; y++) {
    interpolateWithinColumns(src, out, y * stride, stride, height, dX, e * (y + 0.5), f);
  }
  return { width, height, data: out };
}

/** One output row of {@link sampleWithinColumns}. */
function interpolateWithinColumns(
  src: Uint8Array,
  out: Uint8Array,
  rowOut: number,
  stride: number,
  height: number,
  dX: Float64Array,
  eY: number,
  f: number,
): void {
  const maxY = height - 1;
  for (let x = 0, o = rowOut; x < dX.length; x++, o += CHANNEL_COUNT) {
    const v = dX[x]! + eY + f;
    if (!(v >= 0 && v < height)) continue;
    const vs = v - 0.5;
    const j = Math.floor(vs) | 0;
    const fy = vs - j;
    // clamping matters only for j = -1 (top half pixel) and j = H - 1 (bottom half pixel)
    const col = x * CHANNEL_COUNT;
    let p0 = j * stride + col;
    let p1 = p0 + stride;
    if (j < 0) p0 = col;
    else if (j >= maxY) p1 = p0;
    let s0 = src[p0]!;
    out[o] = (s0 + (src[p1]! - s0) * fy) | 0;
    s0 = src[p0 + 1]!;
    out[o + 1] = (s0 + (src[p1 + 1]! - s0) * fy) | 0;
    s0 = src[p0 + 2]!;
    out[o + 2] = (s0 + (src[p1 + 2]! - s0) * fy) | 0;
  }
}

/** Bytes of padding after the source and the output in the module's memory (see simd/kernels.wat). */
const PADDING = 16;

/**
 * Whether the general WebAssembly path should look for runs of 4 pixels that share their source rows and read
 * consecutive source columns (a shortcut that gives the same bytes): worth it only when such runs are common,
 * that is for near-identity maps. Measured on rotations of a 224 px image: faster with the runs up to about 15
 * degrees (|sin| <= 0.26, 1 - cos <= 0.035; the default severity's angles are at most 9 degrees), slower
 * beyond, where the failed attempts cost more than the runs save.
 */
function runsLikely(a: number, d: number): boolean {
  return Math.abs(d) <= 0.26 && Math.abs(a - 1) <= 0.035;
}

/**
 * {@link affineBilinear} with the sampling loops in WebAssembly (simd/kernels.wat: the same expressions, in the
 * same order, or for the shears' 4-pixel runs an integer form proven to give the same bytes, every output pixel
 * written, black ones included). The source is copied into the module's memory
 * (followed by {@link PADDING} bytes: the kernels load pixels as 4 or 16 bytes), the output is written there and
 * copied out.
 */
function affineBilinearSimd(kernels: SimdKernels, image: RgbImage, matrix: AffineMatrix): RgbImage {
  const [a, b, c, d, e, f] = matrix;
  const { width, height, data } = image;
  const n = data.length;
  const srcAt = 0;
  const outAt = align8(n + PADDING);
  const termsAt = align8(outAt + n + PADDING);
  const dTermsAt = termsAt + width * 8;
  // the terms: two rows of `width` (rotate), or one of `height` (shear_y through the transposed image)
  const memory = kernels.reserve(termsAt + Math.max(2 * width, height) * 8);
  memory.set(data, srcAt);
  if (d === 0 && e === 1 && f === 0) {
    kernels.columnTerms(termsAt, a, width);
    // a = 1 with b = 0 or c = 0: u = x + 0.5 + K is rounded once, which the kernel's 16-pixel stretches rely on
    const stretches = a === 1 && (b === 0 || c === 0) ? 1 : 0;
    kernels.withinRows(srcAt, outAt, termsAt, width, height, b, c, stretches);
  } else if (a === 1 && b === 0 && c === 0 && e === 1) {
    transposedWithinRows(kernels, image, d, f, outAt, termsAt);
  } else if (a === 1 && b === 0 && c === 0) {
    kernels.columnTerms(termsAt, d, width);
    kernels.withinColumns(srcAt, outAt, termsAt, width, height, e, f);
  } else {
    kernels.columnTerms(termsAt, a, width);
    kernels.columnTerms(dTermsAt, d, width);
    const runs = runsLikely(a, d) ? 1 : 0;
    kernels.affineRows(srcAt, outAt, termsAt, dTermsAt, width, height, b, c, e, f, runs);
  }
  const result = allocateImageDataToOverwrite(n);
  result.set(memory.subarray(outAt, outAt + n));
  return { width, height, data: result };
}

/**
 * `u = X`, `v = (d*X + Y) + f` (shear_y, with `e = 1`) as the row kernel on the transposed image: there output
 * (x', y') = (y, x) gets `u' = ((x' + 0.5) + d*(y' + 0.5)) + f`, the same sum as `(d*X + Y) + f` (float64
 * addition commutes), and samples within its source row, that is within the source column of (x, y): the same
 * clamping, the same black outside `[0, H)`, the same `trunc(s0 + (s1 - s0) * fy)`. The row kernel takes 16
 * pixels at a time where they share one fraction (shear_y's pixels do, down a column), which more than pays
 * for the two transposes. `image` is at offset 0 of the module's memory and the result is left at `outAt`, in
 * the two regions the other paths use: the transposed source at `outAt`, sampled into offset 0 (the source is
 * no longer needed), transposed back to `outAt`; the caller has reserved `height` terms at `termsAt`.
 */
function transposedWithinRows(
  kernels: SimdKernels,
  image: RgbImage,
  d: number,
  f: number,
  outAt: number,
  termsAt: number,
): void {
  const { width, height } = image;
  kernels.transposeRgb(0, outAt, width, height);
  kernels.columnTerms(termsAt, 1, height);
  kernels.withinRows(outAt, 0, termsAt, height, width, d, f, d === 0 || f === 0 ? 1 : 0);
  kernels.transposeRgb(0, outAt, height, width);
}
