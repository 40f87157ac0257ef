import { inflateSync } from 'node:zlib';
import { align8, type SimdKernels, simdKernels } from '../augmix/ops/simd/kernels.js';

/** Scratch bytes of the `inflateZlib` kernel (kernels.wat). */
const INFLATE_WORK_BYTES = 8640;

/**
 * The longest stream the kernel takes for `size` bytes: deflate at its worst (stored blocks) adds 5 bytes per
 * 65,535; anything much longer (empty blocks, say) goes to zlib, so that odd inputs never grow the kernels'
 * memory, which is kept for the rest of the run.
 */
function kernelStreamLimit(size: number): number {
  return 2 * size + 1024;
}

/**
 * The bytes of the zlib stream `stream` (a small PNG's IDAT data) when it inflates to exactly `size` bytes,
 * else null: what `inflateSync` gives, found by the `inflateZlib` kernel wherever the stream is one zlib would
 * surely inflate to the same bytes (whole, well formed, with the right Adler-32); anything else (and a run with
 * no WebAssembly) goes to `inflateSync`, which decides (docs/png-reader.md).
 *
 * A `node:zlib` call sets up and tears down a native stream each time, about 17 µs for a 32x32 image, and the
 * native memory it reports stays counted until a garbage collection frees the zlib object: on Node.js 24 that
 * brought a full collection every couple of hundred small PNGs.
 */
export function inflateExact(stream: Uint8Array, size: number): Uint8Array | null {
  const kernels = simdKernels();
  if (kernels !== null && stream.length <= kernelStreamLimit(size)) {
    const inflated = inflateWithKernel(kernels, stream, size);
    if (inflated instanceof Uint8Array) return inflated;
  }
  try {
    const inflated = inflateSync(stream);
    return inflated.length === size ? inflated : null;
  } catch {
    return null;
  }
}

/**
 * The `inflateZlib` kernel alone: the stream's bytes when it inflates them to exactly `size`, else what it
 * returned (the number of bytes it inflated, or -1 where zlib must decide).
 */
export function inflateWithKernel(
  kernels: SimdKernels,
  stream: Uint8Array,
  size: number,
): Uint8Array | number {
  const source = 0;
  const output = align8(source + stream.length);
  const work = align8(output + size);
  const memory = kernels.reserve(work + INFLATE_WORK_BYTES);
  memory.set(stream, source);
  const inflated = kernels.inflateZlib(source, stream.length, output, size, work);
  return inflated === size ? memory.slice(output, output + size) : inflated;
}
