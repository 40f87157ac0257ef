import { CHANNELS, type RgbImage } from '../augmix/image.js';
import type { SimdKernels } from '../augmix/ops/simd/kernels.js';
import { decodeCoefficients, type Frame, mcuLayout } from './jpeg-scan.js';

/**
 * jpeg-decode.ts's decode with the WebAssembly kernels (kernels.wat, the JPEG reader's block): the Huffman
 * decoding (jpeg-scan.ts) writes the coefficients into the module's memory, `jpegInverseBlocks` turns every
 * block into samples, and `jpegRgbRows` upsamples the chroma and converts the rows to RGB. The same pixels as
 * the TypeScript path (tests compare them); `null` where that path returns `null`.
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
  const memory = kernels.reserve(out + size + 24);
  memory.fill(0, coef, luma);
  if (!decodeCoefficients(bytes, frame, new Int32Array(memory.buffer, coef, blocks * 64))) return null;
  kernels.jpegInverseBlocks(coef, mcuColumns, mcuRows, factor, luma, lumaStride, cb, cr, chromaStride);
  kernels.jpegRgbRows(luma, lumaStride, cb, cr, chromaStride, width, height, factor, out, scratch);
  return { width, height, data: memory.slice(out, out + size) };
}
