import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { simdKernels } from '../augmix/ops/simd/kernels.js';
import { planHuffmanStream, writeHuffmanStream } from './huffman-deflate.js';
import { crc32 } from './png-crc.js';
import {
  FILTER_PAETH,
  type IdatStream,
  idatWithKernels,
  PAETH_KERNEL_MIN_STRIDE,
} from './png-encode-simd.js';
import { paethPredictor } from './png-paeth.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Writes an 8-bit RGB PNG (no ancillary chunks): every row behind the Paeth filter, in one IDAT holding a zlib
 * stream of one dynamic-Huffman deflate block of literals (src/codec/huffman-deflate.ts; the formats as they
 * are used here: docs/png-writer.md). Lossless, so the
 * pixels never change. The filter and the bit writing run as WebAssembly kernels where there are any
 * (png-encode-simd.ts), else as the TypeScript below; both write the same bytes.
 */
export function encodeSmallPng(image: RgbImage): Uint8Array {
  const kernels = image.width * CHANNELS >= PAETH_KERNEL_MIN_STRIDE ? simdKernels() : null;
  return pngFile(image, kernels === null ? idatInJs(image) : idatWithKernels(image, kernels));
}

/** The IDAT data as the TypeScript reference writes it. */
export function idatInJs(image: RgbImage): IdatStream {
  const counts = new Int32Array(256);
  const rows = paethRows(image, counts);
  const stream = planHuffmanStream(counts);
  return { length: stream.length, write: (out, offset) => writeHuffmanStream(stream, rows, out, offset) };
}

/** The PNG file: signature, IHDR (8-bit RGB), one IDAT, IEND, with their CRCs. */
function pngFile({ width, height }: RgbImage, idat: IdatStream): Uint8Array {
  const head = headOf(width, height);
  const out = new Uint8Array(head.length + 12 + idat.length + IEND.length);
  out.set(head, 0);
  const view = new DataView(out.buffer);
  const at = head.length;
  view.setUint32(at, idat.length);
  out.set(IDAT_TYPE, at + 4);
  idat.write(out, at + 8);
  view.setUint32(at + 8 + idat.length, crc32(out, at + 4, at + 8 + idat.length));
  out.set(IEND, at + 12 + idat.length);
  return out;
}

const IDAT_TYPE = Uint8Array.of(0x49, 0x44, 0x41, 0x54);
/** The IEND chunk: no data, and the CRC of its type. */
const IEND = Uint8Array.of(0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82);

/** The signature and the IHDR chunk of the last size written (a dataset's images mostly share one size). */
let lastHead: { readonly width: number; readonly height: number; readonly bytes: Uint8Array } | null = null;

/** The signature and the IHDR chunk (8-bit RGB, no interlace) of a `width` x `height` PNG, CRC included. */
function headOf(width: number, height: number): Uint8Array {
  if (lastHead !== null && lastHead.width === width && lastHead.height === height) return lastHead.bytes;
  const bytes = new Uint8Array(8 + 25);
  const view = new DataView(bytes.buffer);
  bytes.set(SIGNATURE, 0);
  view.setUint32(8, 13);
  bytes.set([0x49, 0x48, 0x44, 0x52], 12);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes[24] = 8; // bit depth
  bytes[25] = 2; // colour type: RGB
  // compression, filter method, interlace: 0
  view.setUint32(29, crc32(bytes, 12, 29));
  lastHead = { width, height, bytes };
  return bytes;
}

/**
 * The image's rows, each behind its filter byte (4, Paeth), and the count of each byte value in them (added to
 * `counts`). The first row has no row above (the predictor is the left byte), and the first pixel of each
 * other row no pixel to its left (the predictor is the byte above).
 */
export function paethRows({ width, height, data }: RgbImage, counts: Int32Array): Uint8Array {
  const stride = width * CHANNELS;
  const rows = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1) + 1;
    const row = y * stride;
    rows[at - 1] = FILTER_PAETH;
    if (y === 0) {
      for (let x = 0; x < stride; x++) rows[at + x] = data[x]! - (x >= CHANNELS ? data[x - CHANNELS]! : 0);
      continue;
    }
    for (let x = 0; x < CHANNELS; x++) rows[at + x] = data[row + x]! - data[row - stride + x]!;
    for (let x = CHANNELS; x < stride; x++) {
      const predictor = paethPredictor(
        data[row + x - CHANNELS]!,
        data[row - stride + x]!,
        data[row - stride + x - CHANNELS]!,
      );
      rows[at + x] = data[row + x]! - predictor;
    }
  }
  for (let i = 0; i < rows.length; i++) counts[rows[i]!]! += 1;
  return rows;
}
