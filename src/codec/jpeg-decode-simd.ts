import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { align16, type SimdKernels } from '../augmix/ops/simd/kernels.js';
import { type Frame, type HuffmanTable, mcuLayout } from './jpeg-scan.js';
import { ZIGZAG } from './jpeg-tables.js';

/**
 * jpeg-decode.ts's decode with the WebAssembly kernels (kernels.wat, the JPEG reader's blocks): the file and
 * the frame's tables go into the module's memory, `jpegScan` decodes every block's coefficients there (the
 * Huffman decoding of jpeg-scan.ts), `jpegInverseBlocks` turns every block into samples, and `jpegRgbRows`
 * upsamples the chroma and converts the rows to RGB. The same pixels as the TypeScript path (tests compare
 * them); `null` where that path returns `null`.
 */
export function decodeWithKernels(bytes: Uint8Array, frame: Frame, kernels: SimdKernels): RgbImage | null {
  const { width, height, factor } = frame;
  const { mcuSize, mcuColumns, mcuRows, lumaStride, chromaStride, blocks } = mcuLayout(frame);
  const coef = 0;
  const luma = coef + blocks * 256;
  const cb = luma + lumaStride * mcuRows * mcuSize;
  const cr = cb + chromaStride * mcuRows * 8;
  const scratch = cr + chromaStride * mcuRows * 8;
  const out = scratch + 4 * 2 * (width + 16);
  const size = width * height * CHANNELS;
  const tables = align16(out + size + 24);
  const file = tables + SCAN_TABLE_BYTES;
  // 16 bytes past the file: the scan may load a byte or two past its end (never used)
  const memory = kernels.reserve(file + bytes.length + 16);
  memory.fill(0, coef, luma);
  writeScanTables(memory, tables, frame);
  memory.set(bytes, file);
  const scanned = kernels.jpegScan(
    file + frame.scanAt,
    file + bytes.length,
    tables,
    mcuColumns * mcuRows,
    factor,
    coef,
  );
  if (scanned === 0) return null;
  kernels.jpegInverseBlocks(coef, mcuColumns, mcuRows, factor, luma, lumaStride, cb, cr, chromaStride);
  kernels.jpegRgbRows(luma, lumaStride, cb, cr, chromaStride, width, height, factor, out, scratch);
  return { width, height, data: memory.slice(out, out + size) };
}

/** Bytes of `jpegScan`'s tables: per component 3,328 (DC table, AC table, quantisation), then the zig-zag order. */
const SCAN_TABLE_BYTES = 3 * 3328 + 64;

/** The frame's tables as `jpegScan` reads them (kernels.wat, before `jpegScan`). */
function writeScanTables(memory: Uint8Array, tables: number, frame: Frame): void {
  frame.components.forEach((component, c) => {
    const at = tables + c * 3328;
    writeHuffmanTable(memory, at, component.dc!);
    writeHuffmanTable(memory, at + 1536, component.ac!);
    new Int32Array(memory.buffer, at + 3072, 64).set(component.quant!);
  });
  memory.set(ZIGZAG, tables + 3 * 3328);
}

function writeHuffmanTable(memory: Uint8Array, at: number, table: HuffmanTable): void {
  new Uint16Array(memory.buffer, at, 512).set(table.fast);
  new Int32Array(memory.buffer, at + 1024, 18).set(table.maxCode);
  new Int32Array(memory.buffer, at + 1096, 18).set(table.valueOffset);
  memory.set(table.symbols, at + 1168);
}
