import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/**
 * The WebAssembly kernels (kernels.wat) and their linear memory. Every function reads and writes only memory
 * at the offsets it is given; the callers lay out their buffers with {@link SimdKernels.reserve}. The one state
 * kept between calls is the JPEG writer's bit buffer, in module globals from `jpegStart` to `jpegFinish` (one
 * scan at a time: the calls are synchronous).
 */
export interface SimdKernels {
  /** A byte view of the module's memory, at least `bytes` long (a grow invalidates earlier views). */
  reserve(bytes: number): Uint8Array;
  readonly memory: WasmMemory;
  // look-up-table ops (lut-ops-simd.ts): in place on `n` bytes at `p`
  lutMask(p: number, n: number, mask: number): void;
  lutSolarize(p: number, n: number, threshold: number): void;
  lutHistograms(p: number, n: number, hist: number): void;
  lutApplyChannels(p: number, n: number, lut: number): void;
  lutMapBytes(p: number, n: number, lut: number): void;
  /** Sums `sets` sets of `counts` (a multiple of 4) u32 counters at `at` into the first. */
  sumCounterSets(at: number, sets: number, counts: number): void;
  lutChannelRanges(p: number, n: number, range: number, scratch: number): void;
  // sharpness (enhance-simd.ts)
  sharpenRows(src: number, out: number, stride: number, rows: number, alpha: number, scratch: number): void;
  // color and contrast (enhance-simd.ts)
  colorBlend(p: number, n: number, alpha: number): void;
  lumaHistograms(p: number, n: number, hist: number): void;
  columnTerms(dst: number, k: number, n: number): void;
  /** The RGB image at `src` (`width` x `height`) transposed into `dst` (`height` x `width`). */
  transposeRgb(src: number, dst: number, width: number, height: number): void;
  withinRows(
    src: number,
    out: number,
    aX: number,
    width: number,
    height: number,
    b: number,
    c: number,
    stretches: number,
  ): void;
  withinColumns(
    src: number,
    out: number,
    dX: number,
    width: number,
    height: number,
    e: number,
    f: number,
  ): void;
  /** The general bilinear affine map; `runs` 1 lets it look for 4-pixel runs (worth it for near-identity maps). */
  affineRows(
    src: number,
    out: number,
    aX: number,
    dX: number,
    width: number,
    height: number,
    b: number,
    c: number,
    e: number,
    f: number,
    runs: number,
  ): void;
  mix3: Mix3Kernel;
  // the small-PNG writer (src/codec/png-encode-simd.ts)
  paethPlane(src: number, dst: number, stride: number, height: number): void;
  byteCounts(p: number, n: number, counts: number): void;
  /** The zlib stream of a Paeth plane's rows (kernels.wat states the memory it takes); returns its length. */
  huffmanStream(
    plane: number,
    stride: number,
    height: number,
    counts: number,
    work: number,
    out: number,
  ): number;
  /** `mix3` in float32 with an exact float64 fallback (kernels.wat states when the result equals mix3's). */
  mix3f32: Mix3Kernel;
  // the baseline JPEG writer (src/codec/jpeg-encode-simd.ts)
  jpegStart(out: number): void;
  jpegPlanes(
    src: number,
    width: number,
    height: number,
    top: number,
    planeWidth: number,
    chromaRows: number,
    luma: number,
    cb: number,
    cr: number,
    rows: number,
  ): void;
  jpegBlocks(
    luma: number,
    cb: number,
    cr: number,
    planeWidth: number,
    mcuColumns: number,
    lumaColumns: number,
    lowerReal: number,
    tables: number,
    coef: number,
  ): void;
  jpegFinish(): number;
  /**
   * The small-PNG reader's inflater (src/codec/png-inflate.ts): the zlib stream of `n` bytes at `src` into `dst`
   * (room for `size`), with 8,640 bytes of scratch at `work`; the number of bytes inflated, or -1 where zlib
   * must decide (kernels.wat lists when).
   */
  inflateZlib(src: number, n: number, dst: number, size: number, work: number): number;
  // the JPEG reader (src/codec/jpeg-decode-simd.ts)
  jpegScan(at: number, end: number, tables: number, mcus: number, factor: number, coef: number): number;
  jpegInverseBlocks(
    coef: number,
    mcuColumns: number,
    mcuRows: number,
    factor: number,
    luma: number,
    lumaStride: number,
    cb: number,
    cr: number,
    chromaStride: number,
  ): void;
  jpegRgbRows(
    luma: number,
    lumaStride: number,
    cb: number,
    cr: number,
    chromaStride: number,
    width: number,
    height: number,
    factor: number,
    out: number,
    scratch: number,
  ): void;
}

/**
 * A width-3 mix kernel: `n` values of the original at `o` and of the chains at `a`, `b`, `c` into `out`, with
 * the chains' weights, `keep` = 1 - m and `m`.
 */
export type Mix3Kernel = (
  o: number,
  a: number,
  b: number,
  c: number,
  out: number,
  n: number,
  wa: number,
  wb: number,
  wc: number,
  keep: number,
  m: number,
) => void;

/** The slice of the WebAssembly API used here (the project's `lib` has no WebAssembly declarations). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

const PAGE = 65536;
let enabled = true;
let loaded: SimdKernels | null | undefined;

/**
 * The kernels, or `null` where this JavaScript engine has no WebAssembly SIMD (the ops then run their
 * TypeScript loops, which give the same bytes), or while {@link useSimdKernels} has turned them off.
 */
export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = instantiate();
  return loaded;
}

/** Turns the WebAssembly kernels on (the default) or off (the TypeScript reference loops), e.g. to compare them. */
export function useSimdKernels(on: boolean): void {
  enabled = on;
}

function instantiate(): SimdKernels | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  let instance: { readonly exports: Record<string, unknown> };
  try {
    const bytes = moduleBytes();
    instance = new wasm.Instance(new wasm.Module(bytes));
  } catch {
    return null; // no SIMD support (or no WebAssembly): the TypeScript loops serve
  }
  const exports = instance.exports as unknown as Omit<SimdKernels, 'reserve'>;
  const { memory } = exports;
  return {
    ...exports,
    memory,
    reserve(bytes: number): Uint8Array {
      const missing = bytes - memory.buffer.byteLength;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
      return new Uint8Array(memory.buffer);
    },
  };
}

/**
 * The module's bytes from its base64 text: with Node's `Buffer` where there is one (microseconds), else from
 * `atob`, one character at a time (a loop that runs once per thread, before the JIT has compiled it: about
 * 3 ms for the 35 kB module on the development machine, where `Uint8Array.from` with a callback took 5).
 */
export function moduleBytes(): Uint8Array {
  const buffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (buffer !== undefined) return buffer.from(KERNELS_WASM_BASE64, 'base64');
  const text = atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** `n` rounded up to a multiple of 8 (f64 alignment). */
export function align8(n: number): number {
  return (n + 7) & ~7;
}

/** `n` rounded up to a multiple of 16 (v128 alignment). */
export function align16(n: number): number {
  return (n + 15) & ~15;
}
