import * as K from './jpeg-dct-constants.js';

// The inverse DCT of the JPEG reader, in integers, computed as libjpeg-turbo's "islow" inverse DCT computes it
// (docs/jpeg-reader.md, "Inverse DCT"): columns, then rows, 13-bit fixed-point rotations.

const COLUMN_SHIFT = K.CONST_BITS - K.PASS1_BITS;
const ROW_SHIFT = K.CONST_BITS + K.PASS1_BITS + 3;

/**
 * The 8x8 samples of a block of dequantised coefficients (`block`, natural order; overwritten as the
 * workspace), written at `out[at + row * stride + column]`, each clamped to 0..255 after adding 128.
 */
export function inverseDct(block: Int32Array, out: Uint8Array, at: number, stride: number): void {
  for (let column = 0; column < 8; column++) inverseDct1d(block, column, 8, COLUMN_SHIFT);
  for (let row = 0; row < 64; row += 8) inverseDct1d(block, row, 1, ROW_SHIFT);
  for (let row = 0; row < 8; row++) {
    for (let x = 0; x < 8; x++) out[at + row * stride + x] = clampByte(block[row * 8 + x]! + 128);
  }
}

/** One pass over the 8 values at `start`, `start + step`, ..., in place, each output descaled by `shift` bits. */
function inverseDct1d(block: Int32Array, start: number, step: number, shift: number): void {
  const round = 1 << (shift - 1);
  const z2a = block[start + 2 * step]!;
  const z3a = block[start + 6 * step]!;
  const z1a = (z2a + z3a) * K.FIX_0_541196100;
  const even2 = z1a - z3a * K.FIX_1_847759065;
  const even3 = z1a + z2a * K.FIX_0_765366865;
  const d0 = block[start]!;
  const d4 = block[start + 4 * step]!;
  const even0 = (d0 + d4) * (1 << K.CONST_BITS);
  const even1 = (d0 - d4) * (1 << K.CONST_BITS);
  const tmp10 = even0 + even3;
  const tmp13 = even0 - even3;
  const tmp11 = even1 + even2;
  const tmp12 = even1 - even2;
  let t0 = block[start + 7 * step]!;
  let t1 = block[start + 5 * step]!;
  let t2 = block[start + 3 * step]!;
  let t3 = block[start + step]!;
  const z1 = -(t0 + t3) * K.FIX_0_899976223;
  const z2 = -(t1 + t2) * K.FIX_2_562915447;
  const z5 = (t0 + t2 + t1 + t3) * K.FIX_1_175875602;
  const z3 = z5 - (t0 + t2) * K.FIX_1_961570560;
  const z4 = z5 - (t1 + t3) * K.FIX_0_390180644;
  t0 = t0 * K.FIX_0_298631336 + z1 + z3;
  t1 = t1 * K.FIX_2_053119869 + z2 + z4;
  t2 = t2 * K.FIX_3_072711026 + z2 + z3;
  t3 = t3 * K.FIX_1_501321110 + z1 + z4;
  block[start] = (tmp10 + t3 + round) >> shift;
  block[start + 7 * step] = (tmp10 - t3 + round) >> shift;
  block[start + step] = (tmp11 + t2 + round) >> shift;
  block[start + 6 * step] = (tmp11 - t2 + round) >> shift;
  block[start + 2 * step] = (tmp12 + t1 + round) >> shift;
  block[start + 5 * step] = (tmp12 - t1 + round) >> shift;
  block[start + 3 * step] = (tmp13 + t0 + round) >> shift;
  block[start + 4 * step] = (tmp13 - t0 + round) >> shift;
}

/** `value` clamped to 0..255. */
export function clampByte(value: number): number {
  return Math.max(0, Math.min(255, value));
}
