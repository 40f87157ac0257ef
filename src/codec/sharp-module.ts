import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type SharpFactory from 'sharp';

/** sharp's module (its default export: the factory with `cache`, `concurrency`, `format`, ...). */
export type SharpModule = typeof SharpFactory;

let loaded: SharpModule | null = null;
let onLoad: ((sharp: SharpModule) => void) | null = null;
let beforeLoad: (() => void) | null = null;

/**
 * sharp, loaded on first use. Loading it costs about 40 ms of a worker thread's start-up (module evaluation,
 * libvips start), which a run that never calls sharp (small PNGs and JPEGs are decoded and encoded in JS) does not
 * pay.
 */
export function sharpModule(): SharpModule {
  if (loaded === null) {
    const prepare = beforeLoad;
    beforeLoad = null;
    prepare?.();
    loaded = createRequire(import.meta.url)('sharp') as SharpModule;
    const configure = onLoad;
    onLoad = null;
    configure?.(loaded);
  }
  return loaded;
}

/** Runs `configure` now if sharp is loaded, else when it first loads (replacing any earlier deferred one). */
export function whenSharpLoads(configure: (sharp: SharpModule) => void): void {
  if (loaded !== null) configure(loaded);
  else onLoad = configure;
}

/**
 * Runs `prepare` once, synchronously, just before this thread first loads sharp (e.g. a worker thread that has
 * the main thread load sharp first; see src/run/sharp-gate.ts). Replaces any earlier hook not yet run.
 */
export function beforeSharpLoads(prepare: () => void): void {
  if (loaded === null) beforeLoad = prepare;
}

/**
 * Loads sharp's native library (its prebuilt `@img/sharp-<platform>` binary, which links libvips) without
 * sharp's JavaScript, for a thread that only has to keep the library loaded for the life of the process (the
 * main thread of `augmix run`, see src/run/sharp-gate.ts): about 6 ms of CPU instead of about 40 ms for the
 * whole of sharp (semver, detect-libc, colour, its own modules). The binary is found as sharp finds it: the
 * package `@img/sharp-${process.platform}${libc}-${process.arch}`, resolved from sharp's own folder, `libc`
 * being `musl` on a musl Linux and empty elsewhere.
 *
 * Returns false, having loaded nothing, when the platform's package is not there (sharp built from source, a
 * WebAssembly build) or the C library cannot be told from `/usr/bin/ldd`; the caller then loads sharp itself.
 */
export function loadSharpNativeLibrary(): boolean {
  const libc = process.platform === 'linux' ? linuxLibc() : '';
  if (libc === null) return false;
  let sharpRequire: NodeJS.Require;
  try {
    sharpRequire = createRequire(createRequire(import.meta.url).resolve('sharp'));
  } catch {
    return false;
  }
  const binary = `@img/sharp-${process.platform}${libc}-${process.arch}/sharp.node`;
  try {
    sharpRequire.resolve(binary);
  } catch {
    return false;
  }
  sharpRequire(binary);
  return true;
}

/** `musl` or `` (glibc), read from /usr/bin/ldd as detect-libc (sharp's dependency) first does; null if unsure. */
function linuxLibc(): 'musl' | '' | null {
  let ldd: string;
  try {
    ldd = readFileSync('/usr/bin/ldd', 'latin1');
  } catch {
    return null;
  }
  if (ldd.includes('musl')) return 'musl';
  if (ldd.includes('GNU C Library') || ldd.includes('GLIBC')) return '';
  return null;
}
