// The forward DCT and quantiser of the baseline JPEG writer, in integers, computed as libjpeg-turbo's "islow"
// DCT computes them (docs/jpeg-writer.md, "Forward DCT"): 13-bit fixed-point rotations, results scaled by 8.

const CONST_BITS = 13;
const PASS1_BITS = 2;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

const ROW_SHIFT = CONST_BITS - PASS1_BITS;
const ROW_ROUND = 1 << (ROW_SHIFT - 1);
const COLUMN_SHIFT = CONST_BITS + PASS1_BITS;
const COLUMN_ROUND = 1 << (COLUMN_SHIFT - 1);
const DC_ROUND = 1 << (PASS1_BITS - 1);

/**
 * The 8x8 DCT of `block` (64 centred samples, -128..127, natural order), in place: rows, then columns. Every
 * intermediate fits in 32 bits, so `>>` descales exactly as the C arithmetic shifts do.
 */
export function forwardDct(block: Int32Array): void {
  for (let row = 0; row < 64; row += 8) {
    const d0 = block[row]!;
    const d1 = block[row + 1]!;
    const d2 = block[row + 2]!;
    const d3 = block[row + 3]!;
    const d4 = block[row + 4]!;
    const d5 = block[row + 5]!;
    const d6 = block[row + 6]!;
    const d7 = block[row + 7]!;
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
    block[row] = (tmp10 + tmp11) << PASS1_BITS;
    block[row + 4] = (tmp10 - tmp11) << PASS1_BITS;
    const e = (tmp12 + tmp13) * FIX_0_541196100;
    block[row + 2] = (e + tmp13 * FIX_0_765366865 + ROW_ROUND) >> ROW_SHIFT;
    block[row + 6] = (e - tmp12 * FIX_1_847759065 + ROW_ROUND) >> ROW_SHIFT;
    const z5 = (tmp4 + tmp6 + tmp5 + tmp7) * FIX_1_175875602;
    const z1 = -(tmp4 + tmp7) * FIX_0_899976223;
    const z2 = -(tmp5 + tmp6) * FIX_2_562915447;
    const z3 = z5 - (tmp4 + tmp6) * FIX_1_961570560;
    const z4 = z5 - (tmp5 + tmp7) * FIX_0_390180644;
    block[row + 7] = (tmp4 * FIX_0_298631336 + z1 + z3 + ROW_ROUND) >> ROW_SHIFT;
    block[row + 5] = (tmp5 * FIX_2_053119869 + z2 + z4 + ROW_ROUND) >> ROW_SHIFT;
    block[row + 3] = (tmp6 * FIX_3_072711026 + z2 + z3 + ROW_ROUND) >> ROW_SHIFT;
    block[row + 1] = (tmp7 * FIX_1_501321110 + z1 + z4 + ROW_ROUND) >> ROW_SHIFT;
  }
  for (let column = 0; column < 8; column++) {
    const d0 = block[column]!;
    const d1 = block[column + 8]!;
    const d2 = block[column + 16]!;
    const d3 = block[column + 24]!;
    const d4 = block[column + 32]!;
    const d5 = block[column + 40]!;
    const d6 = block[column + 48]!;
    const d7 = block[column + 56]!;
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
    block[column] = (tmp10 + tmp11 + DC_ROUND) >> PASS1_BITS;
    block[column + 32] = (tmp10 - tmp11 + DC_ROUND) >> PASS1_BITS;
    const e = (tmp12 + tmp13) * FIX_0_541196100;
    block[column + 16] = (e + tmp13 * FIX_0_765366865 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 48] = (e - tmp12 * FIX_1_847759065 + COLUMN_ROUND) >> COLUMN_SHIFT;
    const z5 = (tmp4 + tmp6 + tmp5 + tmp7) * FIX_1_175875602;
    const z1 = -(tmp4 + tmp7) * FIX_0_899976223;
    const z2 = -(tmp5 + tmp6) * FIX_2_562915447;
    const z3 = z5 - (tmp4 + tmp6) * FIX_1_961570560;
    const z4 = z5 - (tmp5 + tmp7) * FIX_0_390180644;
    block[column + 56] = (tmp4 * FIX_0_298631336 + z1 + z3 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 40] = (tmp5 * FIX_2_053119869 + z2 + z4 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 24] = (tmp6 * FIX_3_072711026 + z2 + z3 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 8] = (tmp7 * FIX_1_501321110 + z1 + z4 + COLUMN_ROUND) >> COLUMN_SHIFT;
  }
}
