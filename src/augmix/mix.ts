import { invalidParameter } from './errors.js';
import { assertRgbImage, type RgbImage } from './image.js';
import { allocateImageDataToOverwrite } from './ops/image-buffers.js';
import { type SimdKernels, simdKernels } from './ops/simd/kernels.js';
import { wordView } from './ops/words.js';

/**
 * The 8-bit mixing rule (docs/augmix-semantics.md, section 3), for one channel value:
 *
 * ```
 * acc = 0.0; for i ascending: acc = acc + w[i] * chain_i      (float64)
 * v   = (1 - m) * orig + m * acc
 * out = clamp(floor(v + 0.5), 0, 255)                          (round half up)
 * ```
 *
 * This is the nearest 8-bit value to 255 × the official float mixture. {@link mixImages} computes exactly
 * this expression for every channel value.
 */
export function mixValue(
  orig: number,
  chainValues: readonly number[],
  weights: readonly number[],
  m: number,
): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) acc = acc + weights[i]! * chainValues[i]!;
  return roundClamp((1 - m) * orig + m * acc);
}

/**
 * Mixes the chain outputs with the original image by the harness's rule ({@link mixValue}): float64
 * arithmetic in the same order, chains accumulated in ascending order, round half up, clamp to 0..255.
 *
 * @param original the image every chain started from
 * @param chains the chain outputs, in record order, each the size of `original`
 * @param weights the record's `weights` (one per chain)
 * @param m the record's `m` (the original gets 1 - m)
 */
export function mixImages(
  original: RgbImage,
  chains: readonly RgbImage[],
  weights: readonly number[],
  m: number,
): RgbImage {
  assertRgbImage(original, 'original');
  if (chains.length !== weights.length) {
    throw invalidParameter('weights.length', `the number of chains (${chains.length})`, weights.length);
  }
  chains.forEach((chain, i) => {
    assertRgbImage(chain, `chains[${i}]`);
    if (chain.width !== original.width || chain.height !== original.height) {
      throw invalidParameter(
        `chains[${i}] size`,
        `the original's ${original.width}x${original.height}`,
        `${chain.width}x${chain.height}`,
      );
    }
  });
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w))
      throw invalidParameter(`weights[${i}]`, 'a finite number', w);
  });
  if (typeof m !== 'number' || !Number.isFinite(m)) throw invalidParameter('m', 'a finite number', m);

  const orig = original.data;
  // every path below writes every byte: a recycled buffer need not be zeroed first
  const out = allocateImageDataToOverwrite(orig.length);
  const keep = 1 - m;
  const data = chains.map((chain) => chain.data);
  const kernels = data.length === 3 ? simdKernels() : null;
  if (kernels !== null) {
    mix3Simd(
      kernels,
      orig,
      data[0]!,
      data[1]!,
      data[2]!,
      weights[0]!,
      weights[1]!,
      weights[2]!,
      keep,
      m,
      out,
    );
  } else if (data.length === 3) {
    mix3(orig, data[0]!, data[1]!, data[2]!, weights[0]!, weights[1]!, weights[2]!, keep, m, out);
  } else {
    mixAny(orig, data, weights, keep, m, out);
  }
  return { width: original.width, height: original.height, data: out };
}

/** Bytes of each image the WebAssembly mix takes per call (5 such regions of the module's memory). */
const SIMD_CHUNK = 1 << 17;
/** Padding after each region: the kernels read and write whole 16-byte steps past the last value. */
const SIMD_PADDING = 16;
/**
 * Largest weight sum for which the float32 kernel's error bound holds (kernels.wat `mix3f32`); the sampled
 * Dirichlet weights sum to 1 within a few units in the last place.
 */
const F32_MAX_WEIGHT_SUM = 1.0001;

/**
 * {@link mix3} in WebAssembly, a megabyte of each input at a time through the module's memory: `mix3f32`
 * (float32, 16 values a step, each step whose float32 result lies near a rounding edge recomputed in float64)
 * when the weights, `m` and `keep` are all in [0, 1] with a sum of weights of at most
 * {@link F32_MAX_WEIGHT_SUM}, which every sampled record meets; otherwise `mix3` ({@link mixValue3}'s float64
 * expression in f64x2 lanes). Both give {@link mix3}'s bytes.
 */
function mix3Simd(
  kernels: SimdKernels,
  orig: Uint8Array,
  a: Uint8Array,
  b: Uint8Array,
  c: Uint8Array,
  wa: number,
  wb: number,
  wc: number,
  keep: number,
  m: number,
  out: Uint8Array,
): void {
  const length = orig.length;
  const region = Math.min(SIMD_CHUNK, length) + SIMD_PADDING;
  const memory = kernels.reserve(region * 5);
  const mix = float32Applies(wa, wb, wc, keep, m) ? kernels.mix3f32 : kernels.mix3;
  for (let start = 0; start < length; start += SIMD_CHUNK) {
    const end = Math.min(length, start + SIMD_CHUNK);
    memory.set(orig.subarray(start, end), 0);
    memory.set(a.subarray(start, end), region);
    memory.set(b.subarray(start, end), region * 2);
    memory.set(c.subarray(start, end), region * 3);
    mix(0, region, region * 2, region * 3, region * 4, end - start, wa, wb, wc, keep, m);
    out.set(memory.subarray(region * 4, region * 4 + end - start), start);
  }
}

/** Whether the float32 kernel's error bound covers these parameters (see {@link mix3Simd}). */
export function float32Applies(wa: number, wb: number, wc: number, keep: number, m: number): boolean {
  const unit = (v: number) => v >= 0 && v <= 1;
  return unit(wa) && unit(wb) && unit(wc) && unit(keep) && unit(m) && wa + wb + wc <= F32_MAX_WEIGHT_SUM;
}

/**
 * The default width 3, unrolled: {@link mixValue3} on every value (same operations, same order as
 * {@link mixAny}). Word-aligned data goes 4 values at a time: one 32-bit read per input and one write,
 * lowest byte first, instead of 16 byte reads and 4 byte writes (the same bytes, several times faster in V8).
 */
function mix3(
  orig: Uint8Array,
  a: Uint8Array,
  b: Uint8Array,
  c: Uint8Array,
  wa: number,
  wb: number,
  wc: number,
  keep: number,
  m: number,
  out: Uint8Array,
): void {
  const length = orig.length;
  const wordCount = length >>> 2;
  const o4 = wordView(orig, wordCount);
  const a4 = wordView(a, wordCount);
  const b4 = wordView(b, wordCount);
  const c4 = wordView(c, wordCount);
  let done = 0;
  if (o4 && a4 && b4 && c4) {
    const out4 = new Uint32Array(out.buffer, out.byteOffset, wordCount);
    mix3Words(o4, a4, b4, c4, wa, wb, wc, keep, m, out4);
    done = wordCount * 4;
  }
  for (let i = done; i < length; i++) out[i] = mixValue3(orig[i]!, a[i]!, b[i]!, c[i]!, wa, wb, wc, keep, m);
}

/** {@link mix3} on whole words: 4 values per word, lowest byte first. */
function mix3Words(
  orig: Uint32Array,
  a: Uint32Array,
  b: Uint32Array,
  c: Uint32Array,
  wa: number,
  wb: number,
  wc: number,
  keep: number,
  m: number,
  out: Uint32Array,
): void {
  for (let k = 0; k < orig.length; k++) {
    const o = orig[k]!;
    const x = a[k]!;
    const y = b[k]!;
    const z = c[k]!;
    out[k] =
      mixByteAt(0, o, x, y, z, wa, wb, wc, keep, m) |
      mixByteAt(8, o, x, y, z, wa, wb, wc, keep, m) |
      mixByteAt(16, o, x, y, z, wa, wb, wc, keep, m) |
      mixByteAt(24, o, x, y, z, wa, wb, wc, keep, m);
  }
}

/** {@link mixValue3} of the bytes at bit `shift` of four words, shifted back into place. */
function mixByteAt(
  shift: number,
  o: number,
  x: number,
  y: number,
  z: number,
  wa: number,
  wb: number,
  wc: number,
  keep: number,
  m: number,
): number {
  const byte = (word: number) => (word >>> shift) & 0xff;
  return mixValue3(byte(o), byte(x), byte(y), byte(z), wa, wb, wc, keep, m) << shift;
}

/** {@link mixValue} for 3 chains, with `keep = 1 - m` computed once by the caller. */
function mixValue3(
  o: number,
  x: number,
  y: number,
  z: number,
  wa: number,
  wb: number,
  wc: number,
  keep: number,
  m: number,
): number {
  let acc = 0;
  acc = acc + wa * x;
  acc = acc + wb * y;
  acc = acc + wc * z;
  return roundClamp(keep * o + m * acc);
}

function mixAny(
  orig: Uint8Array,
  data: readonly Uint8Array[],
  weights: readonly number[],
  keep: number,
  m: number,
  out: Uint8Array,
): void {
  const k = data.length;
  for (let i = 0; i < orig.length; i++) {
    let acc = 0;
    for (let j = 0; j < k; j++) acc = acc + weights[j]! * data[j]![i]!;
    const r = keep * orig[i]! + m * acc + 0.5;
    out[i] = r >= 255 ? 255 : Math.max(r, 0);
  }
}

/** `clamp(floor(v + 0.5), 0, 255)` (the loops above inline the same expression). */
function roundClamp(v: number): number {
  const r = v + 0.5;
  if (r >= 255) return 255;
  if (r <= 0) return 0;
  return Math.floor(r);
}
