// The inverse DCT of the JPEG reader, in integers, computed as libjpeg-turbo's "islow" inverse DCT computes it
// (docs/jpeg-reader.md, "Inverse DCT"): columns, then rows, 13-bit fixed-point rotations.

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

const COLUMN_SHIFT = CONST_BITS - PASS1_BITS;
const COLUMN_ROUND = 1 << (COLUMN_SHIFT - 1);
const ROW_SHIFT = CONST_BITS + PASS1_BITS + 3;
const ROW_ROUND = 1 << (ROW_SHIFT - 1);

/**
 * The 8x8 samples of a block of dequantised coefficients (`block`, natural order; overwritten as the
 * workspace), written at `out[at + row * stride + column]`, each clamped to 0..255 after adding 128.
 */
export function inverseDct(block: Int32Array, out: Uint8Array, at: number, stride: number): void {
  for (let column = 0; column < 8; column++) {
    const z2a = block[column + 16]!;
    const z3a = block[column + 48]!;
    const z1a = (z2a + z3a) * FIX_0_541196100;
    const even2 = z1a - z3a * FIX_1_847759065;
    const even3 = z1a + z2a * FIX_0_765366865;
    const d0 = block[column]!;
    const d4 = block[column + 32]!;
    const even0 = (d0 + d4) * 8192;
    const even1 = (d0 - d4) * 8192;
    const tmp10 = even0 + even3;
    const tmp13 = even0 - even3;
    const tmp11 = even1 + even2;
    const tmp12 = even1 - even2;
    let t0 = block[column + 56]!;
    let t1 = block[column + 40]!;
    let t2 = block[column + 24]!;
    let t3 = block[column + 8]!;
    const z1 = -(t0 + t3) * FIX_0_899976223;
    const z2 = -(t1 + t2) * FIX_2_562915447;
    const z5 = (t0 + t2 + t1 + t3) * FIX_1_175875602;
    const z3 = z5 - (t0 + t2) * FIX_1_961570560;
    const z4 = z5 - (t1 + t3) * FIX_0_390180644;
    t0 = t0 * FIX_0_298631336 + z1 + z3;
    t1 = t1 * FIX_2_053119869 + z2 + z4;
    t2 = t2 * FIX_3_072711026 + z2 + z3;
    t3 = t3 * FIX_1_501321110 + z1 + z4;
    block[column] = (tmp10 + t3 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 56] = (tmp10 - t3 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 8] = (tmp11 + t2 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 48] = (tmp11 - t2 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 16] = (tmp12 + t1 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 40] = (tmp12 - t1 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 24] = (tmp13 + t0 + COLUMN_ROUND) >> COLUMN_SHIFT;
    block[column + 32] = (tmp13 - t0 + COLUMN_ROUND) >> COLUMN_SHIFT;
  }
  for (let row = 0; row < 64; row += 8) {
    const z2a = block[row + 2]!;
    const z3a = block[row + 6]!;
    const z1a = (z2a + z3a) * FIX_0_541196100;
    const even2 = z1a - z3a * FIX_1_847759065;
    const even3 = z1a + z2a * FIX_0_765366865;
    const d0 = block[row]!;
    const d4 = block[row + 4]!;
    const even0 = (d0 + d4) * 8192;
    const even1 = (d0 - d4) * 8192;
    const tmp10 = even0 + even3;
    const tmp13 = even0 - even3;
    const tmp11 = even1 + even2;
    const tmp12 = even1 - even2;
    let t0 = block[row + 7]!;
    let t1 = block[row + 5]!;
    let t2 = block[row + 3]!;
    let t3 = block[row + 1]!;
    const z1 = -(t0 + t3) * FIX_0_899976223;
    const z2 = -(t1 + t2) * FIX_2_562915447;
    const z5 = (t0 + t2 + t1 + t3) * FIX_1_175875602;
    const z3 = z5 - (t0 + t2) * FIX_1_961570560;
    const z4 = z5 - (t1 + t3) * FIX_0_390180644;
    t0 = t0 * FIX_0_298631336 + z1 + z3;
    t1 = t1 * FIX_2_053119869 + z2 + z4;
    t2 = t2 * FIX_3_072711026 + z2 + z3;
    t3 = t3 * FIX_1_501321110 + z1 + z4;
    const o = at + (row >> 3) * stride;
    out[o] = clampSample((tmp10 + t3 + ROW_ROUND) >> ROW_SHIFT);
    out[o + 7] = clampSample((tmp10 - t3 + ROW_ROUND) >> ROW_SHIFT);
    out[o + 1] = clampSample((tmp11 + t2 + ROW_ROUND) >> ROW_SHIFT);
    out[o + 6] = clampSample((tmp11 - t2 + ROW_ROUND) >> ROW_SHIFT);
    out[o + 2] = clampSample((tmp12 + t1 + ROW_ROUND) >> ROW_SHIFT);
    out[o + 5] = clampSample((tmp12 - t1 + ROW_ROUND) >> ROW_SHIFT);
    out[o + 3] = clampSample((tmp13 + t0 + ROW_ROUND) >> ROW_SHIFT);
    out[o + 4] = clampSample((tmp13 - t0 + ROW_ROUND) >> ROW_SHIFT);
  }
}

/** A centred IDCT output as a sample: + 128, clamped to 0..255. */
function clampSample(value: number): number {
  return clampByte(value + 128);
}

/** `value` clamped to 0..255. */
export function clampByte(value: number): number {
  return Math.max(0, Math.min(255, value));
}
