import { createRequire } from 'node:module';
import type SharpFactory from 'sharp';

/** sharp's module (its default export: the factory with `cache`, `concurrency`, `format`, ...). */
export type SharpModule = typeof SharpFactory;

let loaded: SharpModule | null = null;
let onLoad: ((sharp: SharpModule) => void) | null = null;
let beforeLoad: (() => void) | null = null;

/**
 * sharp, loaded on first use. Loading it costs about 80 ms of a worker thread's start-up (module evaluation,
 * libvips start), which a run that never calls sharp (small PNGs are decoded and encoded in JS) does not pay.
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
