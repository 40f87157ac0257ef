import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { align8, type SimdKernels } from '../augmix/ops/simd/kernels.js';

/**
 * A PNG's IDAT data (a zlib stream), ready to be written into the file: `write` it before anything else uses
 * the WebAssembly kernels (the kernels' stream lives in their memory).
 */
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

/** Scratch bytes of `huffmanStream` (kernels.wat). */
const HUFFMAN_WORK_BYTES = 11_264;

/**
 * The IDAT stream of png-encode.ts `idatInJs` with the WebAssembly kernels (kernels.wat, the small-PNG
 * writer's blocks): the image goes into the module's memory, `paethPlane` filters it, `byteCounts` counts the
 * filtered bytes, and `huffmanStream` builds the code and writes the whole zlib stream (the twin of
 * huffman-deflate.ts planHuffmanStream and writeHuffmanStream, in the module: a call instead of a dozen
 * small arrays and as many functions for the JIT to compile). The same bytes as the TypeScript writer (tests
 * compare them). For rows of at least {@link PAETH_KERNEL_MIN_STRIDE} bytes.
 */
export function idatWithKernels(image: RgbImage, kernels: SimdKernels): IdatStream {
  const { width, height, data } = image;
  const stride = width * CHANNELS;
  const size = stride * height;
  const source = 0;
  const plane = align8(source + size + 16);
  const counters = align8(plane + size + 16);
  const work = counters + COUNTER_BYTES;
  const stream = work + HUFFMAN_WORK_BYTES;
  // the stream: at most 15 bits per byte, and a header of at most about 600 bytes
  const memory = kernels.reserve(stream + 2 * (size + height) + 1024);
  memory.set(data, source);
  kernels.paethPlane(source, plane, stride, height);
  kernels.byteCounts(plane, size, counters);
  const length = kernels.huffmanStream(plane, stride, height, counters, work, stream);
  // read straight from the module's memory: the caller writes the stream before any other kernel runs
  return { length, write: (out, offset) => out.set(memory.subarray(stream, stream + length), offset) };
}
