import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { align8, type SimdKernels } from '../augmix/ops/simd/kernels.js';
import { planHuffmanStream } from './huffman-deflate.js';

/** A PNG's IDAT data (a zlib stream), ready to be written into the file. */
export interface IdatStream {
  readonly length: number;
  write(out: Uint8Array, offset: number): void;
}

/** The shortest row (bytes) the Paeth kernel takes: one 8-byte step after the first pixel. */
export const PAETH_KERNEL_MIN_STRIDE = 11;

/** Bytes `byteCounts` uses at its `counts` (4 counter sets of 256 i32). */
const COUNTER_BYTES = 4096;
/** PNG filter type 4: each byte less the Paeth predictor of its left, upper, upper-left bytes (docs/png-writer.md). */
export const FILTER_PAETH = 4;

/**
 * The IDAT stream of png-encode.ts `idatInJs` with the WebAssembly kernels (kernels.wat, last block): the
 * image goes into the module's memory, `paethPlane` filters it, `byteCounts` counts the filtered bytes, the
 * code is built in TypeScript (planHuffmanStream), `huffmanRows` writes the literals' bits between the headers
 * the plan writes, and `adlerRows` sums the rows for the checksum. The same bytes as the TypeScript writer
 * (tests compare them). For rows of at least {@link PAETH_KERNEL_MIN_STRIDE} bytes.
 */
export function idatWithKernels(image: RgbImage, kernels: SimdKernels): IdatStream {
  const { width, height, data } = image;
  const stride = width * CHANNELS;
  const size = stride * height;
  const source = 0;
  const plane = align8(source + size + 16);
  const counters = align8(plane + size + 16);
  const codes = counters + COUNTER_BYTES;
  const state = codes + 256 * 4;
  const stream = state + 8;
  // the stream: at most 15 bits per byte, and a header of at most about 600 bytes
  const memory = kernels.reserve(stream + 2 * (size + height) + 1024);
  memory.set(data, source);
  kernels.paethPlane(source, plane, stride, height);
  kernels.byteCounts(plane, size, counters);
  const counts = new Int32Array(memory.buffer, counters, 256).slice();
  counts[FILTER_PAETH]! += height;
  const plan = planHuffmanStream(counts);

  const writer = plan.start(memory, stream);
  new Int32Array(memory.buffer, codes, 256).set(plan.literalCodes.subarray(0, 256));
  const bits = new Int32Array(memory.buffer, state, 2);
  bits[0] = writer.pending;
  bits[1] = writer.pendingBits;
  writer.at = kernels.huffmanRows(plane, stride, height, codes, writer.at, state);
  writer.pending = bits[0]!;
  writer.pendingBits = bits[1]!;
  plan.finish(writer, kernels.adlerRows(plane, stride, height) >>> 0, stream);
  const bytes = memory.slice(stream, stream + plan.length);
  return { length: plan.length, write: (out, offset) => out.set(bytes, offset) };
}
