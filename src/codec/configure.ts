import { invalidParameter } from '../augmix/errors.js';
import { type SharpModule, sharpModule, whenSharpLoads } from './sharp-module.js';

export interface SharpConfigOptions {
  /**
   * libvips threads per image (`sharp.concurrency`); `null` keeps sharp's default (the number of CPUs).
   * Front ends that run several images at once set 1 and parallelise across images instead.
   * @default null
   */
  readonly concurrency?: number | null;
  /**
   * Keep libvips' operation cache. Batch work never reads the same input twice, so `false` (no cache) saves
   * memory at no cost.
   * @default false
   */
  readonly cache?: boolean;
}

/**
 * Sets sharp's process-wide knobs once, before the first image. The libuv thread pool that runs sharp's work
 * is sized by `UV_THREADPOOL_SIZE`, which must be set before the process starts.
 *
 * @returns the concurrency sharp now uses
 */
export function configureSharp(options: SharpConfigOptions = {}): number {
  assertSharpConfig(options);
  return applySharpConfig(sharpModule(), options);
}

/**
 * {@link configureSharp} without loading sharp: the settings apply when the codec first needs sharp (a
 * worker thread whose images are all small PNGs or JPEGs never loads it). Options are checked now.
 */
export function configureSharpWhenLoaded(options: SharpConfigOptions = {}): void {
  assertSharpConfig(options);
  whenSharpLoads((sharp) => applySharpConfig(sharp, options));
}

function assertSharpConfig(options: SharpConfigOptions): void {
  const { concurrency = null, cache = false } = options;
  if (concurrency !== null && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024)) {
    throw invalidParameter('concurrency', 'null or an integer in 1..1024', concurrency);
  }
  if (typeof cache !== 'boolean') throw invalidParameter('cache', 'a boolean', cache, TypeError);
}

function applySharpConfig(sharp: SharpModule, options: SharpConfigOptions): number {
  const { concurrency = null, cache = false } = options;
  sharp.cache(cache);
  return concurrency === null ? sharp.concurrency() : sharp.concurrency(concurrency);
}
