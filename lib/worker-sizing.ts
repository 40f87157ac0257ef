import { MB_PER_VCPU } from './defaults.js';

/** Lambda's largest function gets 6 vCPUs (10240 MB). */
const MAX_VCPUS = 6;

/** Thread and concurrency settings matched to a worker's vCPUs. */
export interface WorkerSizing {
  /** vCPUs Lambda gives the function: one per 1769 MB, rounded up (3008 MB → 2), 1..6. */
  readonly vcpus: number;
  /** Images processed at once in a batch (`IMAGE_CONCURRENCY`). */
  readonly imageConcurrency: number;
  /** libvips threads per image (`VIPS_CONCURRENCY`): the vCPUs. */
  readonly vipsConcurrency: number;
  /**
   * libuv thread pool (`UV_THREADPOOL_SIZE`): each image in flight holds one pool thread during a sharp
   * decode or encode, plus two for fs/DNS work; never below libuv's default of 4.
   */
  readonly uvThreadpoolSize: number;
}

/**
 * Sizes the worker's threads from its memory: Lambda allots CPU in proportion to memory (one vCPU per
 * 1769 MB, up to 6), and sharp's thread pools must be set through the environment before Node starts.
 *
 * @param memorySize function memory in MB
 * @param imageConcurrency images at once; @default the vCPUs
 */
export function workerSizing(memorySize: number, imageConcurrency?: number): WorkerSizing {
  const vcpus = Math.min(MAX_VCPUS, Math.max(1, Math.ceil(memorySize / MB_PER_VCPU)));
  const images = imageConcurrency ?? vcpus;
  return {
    vcpus,
    imageConcurrency: images,
    vipsConcurrency: vcpus,
    uvThreadpoolSize: Math.max(4, images + 2),
  };
}
