/**
 * Pillow `ImageFilter.SMOOTH` on 8-bit RGB (docs/augmix-semantics.md, "Enhancement", sharpness): kernel [[1,1,1],[1,5,1],[1,1,1]] / 13 in
 * float32 (`k1 = fl32(1/13)`, `k5 = fl32(5/13)`), + 0.5, truncated, on the interior; the 1-pixel border is
 * a copy. For interior value P[y][x] (each channel on its own):
 *
 * ```
 * R(r) = fl32(fl32(fl32(P[r][x-1]·k1) + fl32(P[r][x]·km)) + fl32(P[r][x+1]·k1))   (km = k5 for r = y, else k1)
 * s    = fl32(fl32(fl32(0.5 + R(y+1)) + R(y)) + R(y-1))
 * ```
 *
 * Each image row's two kernel rows (the all-k1 one, used by the rows above and below, and the k5-centred
 * one, used by the row itself) are computed once, in the documented operation order (docs/augmix-semantics.md), and kept in a ring of row
 * buffers. The buffers are `Float32Array`s: every kernel-row value is a float32, so storing it is exact.
 */
import { CHANNELS } from '../image.js';

/** Channels per pixel, as a module-local constant: hot loops never read an imported (loader-wrapped) binding. */
const CHANNEL_COUNT = CHANNELS;

const fround = Math.fround;
const K1 = fround(1 / 13);
const K5 = fround(5 / 13);
/** fl32(v · k1) and fl32(v · k5) for every 8-bit v. */
const TIMES_K1 = Float64Array.from({ length: 256 }, (_, v) => fround(v * K1));
const TIMES_K5 = Float64Array.from({ length: 256 }, (_, v) => fround(v * K5));

/**
 * Both kernel rows of image row `row` (its first byte), for every interior index `i` of the row:
 * `k1Row[i] = fl32(fl32(A + B1) + C)` and `k5Row[i] = fl32(fl32(A + B5) + C)`, where A and C are the left
 * and right neighbours times k1 and B1/B5 the value itself times k1/k5. One channel at a time, sliding
 * along the row, so each neighbour product is looked up once and reused as the next value's left neighbour.
 */
function kernelRows(
  src: Uint8Array,
  row: number,
  stride: number,
  k1Row: Float32Array,
  k5Row: Float32Array,
): void {
  const end = stride - CHANNEL_COUNT;
  for (let channel = 0; channel < CHANNEL_COUNT; channel++) {
    let left = TIMES_K1[src[row + channel]!]!;
    const first = src[row + channel + CHANNEL_COUNT]!;
    let mid1 = TIMES_K1[first]!;
    let mid5 = TIMES_K5[first]!;
    for (let i = channel + CHANNEL_COUNT; i < end; i += CHANNEL_COUNT) {
      const next = src[row + i + CHANNEL_COUNT]!;
      const right = TIMES_K1[next]!;
      k1Row[i] = fround(fround(left + mid1) + right);
      k5Row[i] = fround(fround(left + mid5) + right);
      left = mid1;
      mid1 = right;
      mid5 = TIMES_K5[next]!;
    }
  }
}

/**
 * The three kernel rows the documented filter sums for interior row `y`: `below` = R(y+1) and `above` = R(y-1) (all k1),
 * `centre` = R(y) (k5 in the middle). {@link nextKernelRows} moves it down one row.
 */
export interface KernelRows {
  /** The interior row these rows are for. */
  y: number;
  below: Float32Array;
  centre: Float32Array;
  above: Float32Array;
  /** R(y) with k1 in the middle: `above` for the next row. */
  current: Float32Array;
  /** Scratch for the k5 row of y + 1. */
  nextCentre: Float32Array;
}

/**
 * Kernel rows positioned before row 1: rows 0 and 1 computed, ready for {@link nextKernelRows}.
 * Requires width and height >= 3.
 */
export function startKernelRows(src: Uint8Array, width: number): KernelRows {
  const stride = width * CHANNEL_COUNT;
  const rows: KernelRows = {
    y: 0,
    below: new Float32Array(stride),
    centre: new Float32Array(stride),
    above: new Float32Array(stride),
    current: new Float32Array(stride),
    nextCentre: new Float32Array(stride),
  };
  // row 0's k5 row is never used: `nextCentre` is only a scratch target here
  kernelRows(src, 0, stride, rows.above, rows.nextCentre);
  kernelRows(src, stride, stride, rows.current, rows.centre);
  return rows;
}

/** Moves `rows` to the next interior row y: computes the kernel rows of image row y + 1 (`below`). */
export function nextKernelRows(rows: KernelRows, src: Uint8Array, width: number): void {
  const stride = width * CHANNEL_COUNT;
  if (rows.y > 0) {
    // the row above becomes R1(y-1) = the previous `current`; the previous `below` is the new `current`
    const spare = rows.above;
    rows.above = rows.current;
    rows.current = rows.below;
    rows.below = spare;
    const centre = rows.centre;
    rows.centre = rows.nextCentre;
    rows.nextCentre = centre;
  }
  rows.y++;
  kernelRows(src, (rows.y + 1) * stride, stride, rows.below, rows.nextCentre);
}

/** The smoothed value `s` of one interior value, clamped and truncated to 0..255 (s is always >= 0.5). */
export function smoothedByte(below: number, centre: number, above: number): number {
  const s = fround(fround(fround(0.5 + below) + centre) + above);
  return s < 255 ? s | 0 : 255;
}

/** Writes the smoothed interior values of one row (offset `row`) into `out`, from its three kernel rows. */
function smoothRow(
  below: Float32Array,
  centre: Float32Array,
  above: Float32Array,
  out: Uint8Array,
  row: number,
  stride: number,
): void {
  for (let i = CHANNEL_COUNT; i < stride - CHANNEL_COUNT; i++) {
    out[row + i] = smoothedByte(below[i]!, centre[i]!, above[i]!);
  }
}

/** Pillow `ImageFilter.SMOOTH` of an RGB image's data (see the module comment); images under 3×3 are copied. */
export function smoothBytes(src: Uint8Array, width: number, height: number): Uint8Array {
  const out = src.slice();
  if (width < 3 || height < 3) return out;
  const rows = startKernelRows(src, width);
  for (let y = 1; y < height - 1; y++) {
    nextKernelRows(rows, src, width);
    const stride = width * CHANNEL_COUNT;
    smoothRow(rows.below, rows.centre, rows.above, out, y * stride, stride);
  }
  return out;
}
