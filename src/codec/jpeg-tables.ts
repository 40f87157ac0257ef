/**
 * The fixed tables of the baseline JPEG writer (jpeg-encode.ts), as docs/jpeg-writer.md states them: the
 * zig-zag order, the example quantisation tables and their quality scaling, the standard Huffman tables, and
 * the divisors libjpeg-turbo quantises with.
 */

/** `ZIGZAG[k]` is the natural (row-major) index of the k-th coefficient in zig-zag order. */
// biome-ignore format: an 8x8 table, one row per line
export const ZIGZAG = Uint8Array.of(
  0, 1, 8, 16, 9, 2, 3, 10,
  17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34,
  27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36,
  29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
);

/** The example luminance quantisation table, natural order. */
// biome-ignore format: an 8x8 table, one row per line
const LUMA_QUANT_BASE = Uint8Array.of(
  16, 11, 10, 16, 24, 40, 51, 61,
  12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77,
  24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
);

/** The example chrominance quantisation table, natural order. */
// biome-ignore format: an 8x8 table, one row per line
const CHROMA_QUANT_BASE = Uint8Array.of(
  17, 18, 24, 47, 99, 99, 99, 99,
  18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
);

/**
 * The most bytes one MCU (four luma and two chroma blocks) can take: a block is at most 1,660 bits (DC: a
 * code of up to 11 bits and 11 value bits; 63 AC: codes of up to 16 bits and 10 value bits), 208 bytes, and a
 * 0 may follow every byte.
 */
export const MCU_MAX_BYTES = 6 * 208 * 2;

/** A Huffman table as a DHT segment carries it: code counts per length 1..16, then the symbols. */
export interface HuffmanSpec {
  readonly counts: Uint8Array;
  readonly symbols: Uint8Array;
}

const fromHex = (hex: string): Uint8Array =>
  Uint8Array.from(hex.match(/../g)!, (byte) => Number.parseInt(byte, 16));

export const DC_LUMA: HuffmanSpec = {
  counts: fromHex('00010501010101010100000000000000'),
  symbols: fromHex('000102030405060708090a0b'),
};
export const AC_LUMA: HuffmanSpec = {
  counts: fromHex('0002010303020403050504040000017d'),
  symbols: fromHex(
    '01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435' +
      '363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a929394959697' +
      '98999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2' +
      'f3f4f5f6f7f8f9fa',
  ),
};
export const DC_CHROMA: HuffmanSpec = {
  counts: fromHex('00030101010101010101010000000000'),
  symbols: fromHex('000102030405060708090a0b'),
};
export const AC_CHROMA: HuffmanSpec = {
  counts: fromHex('00020102040403040705040400010277'),
  symbols: fromHex(
    '000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a26272829' +
      '2a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a929394' +
      '95969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9ea' +
      'f2f3f4f5f6f7f8f9fa',
  ),
};

/**
 * Each symbol's code as `length << 16 | code` (0 for symbols the table lacks): codes of one length are
 * consecutive, in the table's symbol order, and each length starts at twice the previous length's next code.
 */
export function huffmanCodes({ counts, symbols }: HuffmanSpec): Int32Array {
  const codes = new Int32Array(256);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < counts[length - 1]!; i++) codes[symbols[k++]!] = (length << 16) | code++;
    code <<= 1;
  }
  return codes;
}

/**
 * The quantisation table for `quality` 1..100, natural order: each example value scaled by 5000 / quality
 * (below 50) or 200 - 2 * quality percent, rounded, and kept within 1..255 (baseline).
 */
export function quantTable(quality: number, chroma: boolean): Uint8Array {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
  const base = chroma ? CHROMA_QUANT_BASE : LUMA_QUANT_BASE;
  return base.map((value) => Math.min(255, Math.max(1, Math.floor((value * scale + 50) / 100))));
}

/**
 * The quantiser of each coefficient (natural order), the way libjpeg-turbo divides by `8 * q` (the integer DCT
 * leaves its results scaled by 8): `(|x| + correction) * reciprocal >> shift`, with the sign put back. For most
 * divisors this is `x / (8q)` rounded to nearest, but not for all: the correction is one larger when the
 * reciprocal was rounded down, and the output must match that writer's, so this is what is computed.
 */
export interface Quantiser {
  readonly reciprocal: Int32Array;
  readonly correction: Int32Array;
  readonly shift: Int32Array;
}

export function quantiser(table: Uint8Array): Quantiser {
  const reciprocal = new Int32Array(64);
  const correction = new Int32Array(64);
  const shift = new Int32Array(64);
  for (let i = 0; i < 64; i++) {
    const divisor = table[i]! * 8;
    let r = 16 + (31 - Math.clz32(divisor));
    let fq = Math.floor(2 ** r / divisor);
    const fr = 2 ** r % divisor;
    let c = divisor >> 1;
    if (fr === 0) {
      fq >>= 1;
      r -= 1;
    } else if (fr <= divisor >> 1) {
      c += 1;
    } else {
      fq += 1;
    }
    reciprocal[i] = fq;
    correction[i] = c;
    shift[i] = r;
  }
  return { reciprocal, correction, shift };
}

export interface QualitySettings {
  readonly lumaTable: Uint8Array;
  readonly chromaTable: Uint8Array;
  readonly luma: Quantiser;
  readonly chroma: Quantiser;
}

export const DC_LUMA_CODES = huffmanCodes(DC_LUMA);
export const AC_LUMA_CODES = huffmanCodes(AC_LUMA);
export const DC_CHROMA_CODES = huffmanCodes(DC_CHROMA);
export const AC_CHROMA_CODES = huffmanCodes(AC_CHROMA);

const settingsByQuality = new Map<number, QualitySettings>();

export function settingsFor(quality: number): QualitySettings {
  let settings = settingsByQuality.get(quality);
  if (settings === undefined) {
    const lumaTable = quantTable(quality, false);
    const chromaTable = quantTable(quality, true);
    settings = { lumaTable, chromaTable, luma: quantiser(lumaTable), chroma: quantiser(chromaTable) };
    settingsByQuality.set(quality, settings);
  }
  return settings;
}
