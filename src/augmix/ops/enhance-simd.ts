/**
 * Enhancement ops in WebAssembly (simd/kernels.wat): sharpness and color, their blends in f32x4 lanes (the
 * float32 operations of blend.ts and smooth.ts, in the same order), giving exactly the bytes of the TypeScript
 * paths in enhance.ts, which serve when `simdKernels()` is null.
 */
import { CHANNELS } from '../image.js';
import { allocateImageDataToOverwrite } from './image-buffers.js';
import { histogramsSimd, rewriteBytesSimd } from './lut-ops-simd.js';
import { align16, type SimdKernels } from './simd/kernels.js';

/** Kernel rows the kernel keeps (3 all-k1 rows and 2 k5-centred rows), each `stride + 8` float32. */
const SCRATCH_ROWS = 5;
/** Source bytes per band (about): enough rows to make the 2 halo rows per band cheap, few enough to stay in cache. */
const BAND_BYTES = 1 << 18;
/** Room after the source band: the kernel reads up to 7 bytes past a row. */
const SOURCE_ROOM = 8;
/** Room after the output band: the last row's last step writes up to 4 bytes past it. */
const OUTPUT_ROOM = 4;

/** `ImageEnhance.Color` with factor `alpha` (already `fl32(factor)`): each value blended with its pixel's luma. */
export function colorSimd(kernels: SimdKernels, src: Uint8Array, alpha: number): Uint8Array {
  return rewriteBytesSimd(kernels, src, kernels.colorBlend, alpha);
}

/** Luma histogram sets the kernel spreads the pixels over (pixel j of each 4-pixel group counts in set j). */
const LUMA_SETS = 4;

/** Counts of each luma value over all pixels of interleaved RGB `src` (contrast's mean), 256 counts. */
export function lumaHistogramSimd(kernels: SimdKernels, src: Uint8Array): Uint32Array {
  return histogramsSimd(kernels, src, kernels.lumaHistograms, LUMA_SETS, 256);
}

/**
 * `ImageEnhance.Sharpness` (`sharpenRows`: the SMOOTH filter and the blend fused). The image goes through the
 * module's memory in bands of rows, each with the row above and below it, so the memory used stays small:
 * the kernel-row scratch at 0, then one band of source rows, then its output rows.
 *
 * Sharpness with factor `alpha` (already `fl32(factor)`) of interleaved RGB `src`, `width` and `height` >= 3:
 * the border pixels are copied, every interior value is `blend(smooth, value)`.
 */
export function sharpnessSimd(
  kernels: SimdKernels,
  src: Uint8Array,
  width: number,
  height: number,
  alpha: number,
): Uint8Array {
  const stride = width * CHANNELS;
  const bandRows = Math.max(1, Math.min(height - 2, Math.floor(BAND_BYTES / stride)));
  const srcAt = align16(SCRATCH_ROWS * (stride + 8) * 4);
  const outAt = align16(srcAt + (bandRows + 2) * stride + SOURCE_ROOM);
  const memory = kernels.reserve(outAt + bandRows * stride + OUTPUT_ROOM);
  // the first and last rows are copied and the bands write every row between: no zeroing needed
  const out = allocateImageDataToOverwrite(src.length);
  out.set(src.subarray(0, stride));
  out.set(src.subarray((height - 1) * stride), (height - 1) * stride);
  for (let y0 = 1; y0 < height - 1; y0 += bandRows) {
    const y1 = Math.min(height - 1, y0 + bandRows);
    memory.set(src.subarray((y0 - 1) * stride, (y1 + 1) * stride), srcAt);
    kernels.sharpenRows(srcAt, outAt, stride, y1 - y0 + 2, alpha, 0);
    out.set(memory.subarray(outAt, outAt + (y1 - y0) * stride), y0 * stride);
  }
  return out;
}
