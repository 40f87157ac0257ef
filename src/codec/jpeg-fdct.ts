import * as K from './jpeg-dct-constants.js';

// The forward DCT of the baseline JPEG writer, in integers, computed as libjpeg-turbo's "islow" DCT computes it
// (docs/jpeg-writer.md, "Forward DCT"): 13-bit fixed-point rotations, results scaled by 8.

/**
 * The 8x8 DCT of `block` (64 centred samples, -128..127, natural order), in place: rows, then columns. Every
 * intermediate fits in 32 bits, so `>>` descales exactly as the C arithmetic shifts do.
 */
export function forwardDct(block: Int32Array): void {
  for (let row = 0; row < 64; row += 8) forwardDct1d(block, row, 1, true);
  for (let column = 0; column < 8; column++) forwardDct1d(block, column, 8, false);
}

/**
 * One pass over the 8 values at `start`, `start + step`, ...: the row pass (`rows`) leaves outputs 0 and 4
 * shifted left by 2 and descales the others by 11 bits; the column pass descales 0 and 4 by 2 bits and the
 * others by 15, both rounding.
 */
function forwardDct1d(block: Int32Array, start: number, step: number, rows: boolean): void {
  const shift = rows ? K.CONST_BITS - K.PASS1_BITS : K.CONST_BITS + K.PASS1_BITS;
  const round = 1 << (shift - 1);
  const d0 = block[start]!;
  const d1 = block[start + step]!;
  const d2 = block[start + 2 * step]!;
  const d3 = block[start + 3 * step]!;
  const d4 = block[start + 4 * step]!;
  const d5 = block[start + 5 * step]!;
  const d6 = block[start + 6 * step]!;
  const d7 = block[start + 7 * step]!;
  const tmp0 = d0 + d7;
  const tmp7 = d0 - d7;
  const tmp1 = d1 + d6;
  const tmp6 = d1 - d6;
  const tmp2 = d2 + d5;
  const tmp5 = d2 - d5;
  const tmp3 = d3 + d4;
  const tmp4 = d3 - d4;
  const tmp10 = tmp0 + tmp3;
  const tmp13 = tmp0 - tmp3;
  const tmp11 = tmp1 + tmp2;
  const tmp12 = tmp1 - tmp2;
  if (rows) {
    block[start] = (tmp10 + tmp11) << K.PASS1_BITS;
    block[start + 4 * step] = (tmp10 - tmp11) << K.PASS1_BITS;
  } else {
    const evenRound = 1 << (K.PASS1_BITS - 1);
    block[start] = (tmp10 + tmp11 + evenRound) >> K.PASS1_BITS;
    block[start + 4 * step] = (tmp10 - tmp11 + evenRound) >> K.PASS1_BITS;
  }
  const e = (tmp12 + tmp13) * K.FIX_0_541196100;
  block[start + 2 * step] = (e + tmp13 * K.FIX_0_765366865 + round) >> shift;
  block[start + 6 * step] = (e - tmp12 * K.FIX_1_847759065 + round) >> shift;
  const z5 = (tmp4 + tmp6 + tmp5 + tmp7) * K.FIX_1_175875602;
  const z1 = -(tmp4 + tmp7) * K.FIX_0_899976223;
  const z2 = -(tmp5 + tmp6) * K.FIX_2_562915447;
  const z3 = z5 - (tmp4 + tmp6) * K.FIX_1_961570560;
  const z4 = z5 - (tmp5 + tmp7) * K.FIX_0_390180644;
  block[start + 7 * step] = (tmp4 * K.FIX_0_298631336 + z1 + z3 + round) >> shift;
  block[start + 5 * step] = (tmp5 * K.FIX_2_053119869 + z2 + z4 + round) >> shift;
  block[start + 3 * step] = (tmp6 * K.FIX_3_072711026 + z2 + z3 + round) >> shift;
  block[start + step] = (tmp7 * K.FIX_1_501321110 + z1 + z4 + round) >> shift;
}
