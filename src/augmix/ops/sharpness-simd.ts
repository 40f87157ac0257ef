/**
 * `ImageEnhance.Sharpness` in WebAssembly (simd/kernels.wat `sharpenRows`): the SMOOTH filter of smooth.ts
 * and the blend of blend.ts fused, 4 values at a time in f32x4 lanes, giving exactly the bytes of the
 * TypeScript path in enhance.ts (which serves when {@link simdKernels} is null). The image goes through the
 * module's memory in bands of rows, each with the row above and below it, so the memory used stays small.
 *
 * Memory layout of one call: the kernel-row scratch at 0, then one band of source rows, then its output rows.
 */
import { CHANNELS } from '../image.js';
import { allocateImageData } from './image-buffers.js';
import type { SimdKernels } from './simd/kernels.js';

/** Channels per pixel, as a module-local constant. */
const CHANNEL_COUNT = CHANNELS;
/** Kernel rows the kernel keeps (3 all-k1 rows and 2 k5-centred rows), each `stride + 4` float32. */
const SCRATCH_ROWS = 5;
/** Source bytes per band (about): enough rows to make the 2 halo rows per band cheap, few enough to stay in cache. */
const BAND_BYTES = 1 << 18;
/** Room after the source band: the kernel reads up to 3 bytes past a row. */
const SOURCE_ROOM = 4;

function align16(n: number): number {
  return (n + 15) & ~15;
}

/**
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
  const stride = width * CHANNEL_COUNT;
  const bandRows = Math.max(1, Math.min(height - 2, Math.floor(BAND_BYTES / stride)));
  const srcAt = align16(SCRATCH_ROWS * (stride + 4) * 4);
  const outAt = align16(srcAt + (bandRows + 2) * stride + SOURCE_ROOM);
  const memory = kernels.reserve(outAt + bandRows * stride);
  const out = allocateImageData(src.length);
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
