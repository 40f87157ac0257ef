import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/**
 * The WebAssembly kernels (kernels.wat) and their linear memory. Every function reads and writes only memory
 * at the offsets it is given; the callers lay out their buffers with {@link SimdKernels.reserve}.
 */
export interface SimdKernels {
  /** A byte view of the module's memory, at least `bytes` long (a grow invalidates earlier views). */
  reserve(bytes: number): Uint8Array;
  readonly memory: WasmMemory;
  columnTerms(dst: number, k: number, n: number): void;
  withinRows(src: number, out: number, aX: number, width: number, height: number, b: number, c: number): void;
  withinColumns(
    src: number,
    out: number,
    dX: number,
    width: number,
    height: number,
    e: number,
    f: number,
  ): void;
  interpolateRow(
    src: number,
    out: number,
    offsets: number,
    fxs: number,
    fys: number,
    n: number,
    stride: number,
  ): void;
  mix3(
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
  ): void;
  /** `mix3` in float32 with an exact float64 fallback (kernels.wat states when the result equals mix3's). */
  mix3f32(
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
  ): void;
}

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
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (ch) => ch.charCodeAt(0));
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

/** `n` rounded up to a multiple of 8 (f64 alignment). */
export function align8(n: number): number {
  return (n + 7) & ~7;
}
