import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { align16, type SimdKernels } from '../augmix/ops/simd/kernels.js';
import {
  AC_CHROMA_CODES,
  AC_LUMA_CODES,
  DC_CHROMA_CODES,
  DC_LUMA_CODES,
  MCU_MAX_BYTES,
  type QualitySettings,
  type Quantiser,
  ZIGZAG,
} from './jpeg-tables.js';

/** Where the zig-zag bit tables start in the table block (after the quantisers, code tables and zig-zag offsets). */
const ZIGZAG_BITS_AT = 3776;

/**
 * Bytes of the tables `jpegBlocks` reads (kernels.wat): two quantisers, four code tables, the zig-zag offsets,
 * then the zig-zag bit tables.
 */
const TABLE_BYTES = ZIGZAG_BITS_AT + 8 * 256 * 8;

/**
 * For each block row r and each set of its 8 columns (a byte, column c as bit c), the same coefficients as
 * bits in zig-zag order (bit k: zig-zag index k), as an i64 (low word first): `jBlock` turns its natural-order
 * non-zero flags into the zig-zag mask `jCode` walks with 8 lookups.
 */
function zigzagBitTables(): Int32Array {
  const words = new Int32Array(8 * 256 * 2);
  const zigzagIndex = new Array<number>(64);
  ZIGZAG.forEach((natural, k) => {
    zigzagIndex[natural] = k;
  });
  for (let row = 0; row < 8; row++) {
    for (let columns = 0; columns < 256; columns++) {
      let low = 0;
      let high = 0;
      for (let column = 0; column < 8; column++) {
        if ((columns & (1 << column)) === 0) continue;
        const k = zigzagIndex[row * 8 + column]!;
        if (k < 32) low |= 1 << k;
        else high |= 1 << (k - 32);
      }
      words[(row * 256 + columns) * 2] = low;
      words[(row * 256 + columns) * 2 + 1] = high;
    }
  }
  return words;
}

/** {@link zigzagBitTables}, made on the first encode (the same for every quality). */
let zigzagBitWords: Int32Array | undefined;

const tablesByQuality = new WeakMap<QualitySettings, Uint8Array>();

/**
 * The entropy-coded scan of jpeg-encode.ts `scanInJs` with the WebAssembly kernels (kernels.wat, the JPEG
 * writer's block): the image goes into the module's memory, then for each MCU row `jpegPlanes` converts and
 * subsamples its 16 pixel rows and `jpegBlocks` transforms, quantises and codes its blocks. The same bytes as
 * the TypeScript writer (tests compare them).
 */
export function scanWithKernels(
  image: RgbImage,
  settings: QualitySettings,
  kernels: SimdKernels,
): Uint8Array {
  const { width, height, data } = image;
  const mcuColumns = Math.ceil(width / 16);
  const mcuRows = Math.ceil(height / 16);
  const planeWidth = mcuColumns * 16;
  const source = 0;
  const tables = align16(source + width * height * CHANNELS + 16);
  const coef = tables + TABLE_BYTES;
  const luma = align16(coef + 128);
  const cb = luma + 16 * planeWidth * 4;
  const cr = cb + 8 * planeWidth * 2;
  const rows = cr + 8 * planeWidth * 2;
  const out = rows + 4 * planeWidth * 4;
  const memory = kernels.reserve(out + mcuColumns * mcuRows * MCU_MAX_BYTES + 16);
  memory.set(data, source);
  memory.set(tableBytes(settings), tables);
  const lumaColumns = Math.ceil(width / 8);
  const lumaRows = Math.ceil(height / 8);
  const chromaRows = Math.ceil(height / 2);
  kernels.jpegStart(out);
  for (let mcuRow = 0; mcuRow < mcuRows; mcuRow++) {
    kernels.jpegPlanes(source, width, height, mcuRow * 16, planeWidth, chromaRows, luma, cb, cr, rows);
    const lowerReal = mcuRow * 2 + 1 < lumaRows ? 1 : 0;
    kernels.jpegBlocks(luma, cb, cr, planeWidth, mcuColumns, lumaColumns, lowerReal, tables, coef);
  }
  const end = kernels.jpegFinish();
  return memory.slice(out, end);
}

/** The tables in the layout `jpegBlocks` reads them, made once per quality. */
function tableBytes(settings: QualitySettings): Uint8Array {
  let bytes = tablesByQuality.get(settings);
  if (bytes === undefined) {
    bytes = new Uint8Array(TABLE_BYTES);
    const words = new Int32Array(bytes.buffer);
    const quantiserWords = ({ correction, reciprocal, shift }: Quantiser, at: number) => {
      words.set(correction, at);
      words.set(reciprocal, at + 64);
      // (x >> 16) * 2^(32 - shift) >> 16 is x >> shift for shift >= 16
      words.set(
        shift.map((s) => 2 ** (32 - s)),
        at + 128,
      );
    };
    quantiserWords(settings.luma, 0);
    quantiserWords(settings.chroma, 192);
    words.set(DC_LUMA_CODES.subarray(0, 16), 384);
    words.set(AC_LUMA_CODES, 400);
    words.set(DC_CHROMA_CODES.subarray(0, 16), 656);
    words.set(AC_CHROMA_CODES, 672);
    bytes.set(
      ZIGZAG.map((natural) => natural * 2),
      3712,
    );
    zigzagBitWords ??= zigzagBitTables();
    words.set(zigzagBitWords, ZIGZAG_BITS_AT / 4);
    tablesByQuality.set(settings, bytes);
  }
  return bytes;
}
