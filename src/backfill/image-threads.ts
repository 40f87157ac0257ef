import { availableParallelism } from 'node:os';
import type { PipelineSettings } from '../pipeline/types.js';
import { WorkerPool } from '../run/pool.js';
import { type AugmentImage, augmentImage, type ImageOutcome } from './image-outcome.js';
import type { ImageThreadTask } from './image-thread.js';

/** An {@link AugmentImage} and how to stop its threads. */
export interface ImageThreads {
  readonly augment: AugmentImage;
  /** Threads augmenting (0: the calling thread does it). */
  readonly size: number;
  close(): Promise<void>;
}

/** The entry of the image threads next to this module (built to `dist/`). */
export const IMAGE_THREAD_URL = new URL('./image-thread-main.js', import.meta.url);

/**
 * The AugMix arithmetic of a batch on every vCPU: `threads` worker threads running `url` (a module that calls
 * `serveImageTasks`), each holding two images so it never waits for the main thread between them. With one
 * vCPU there is no pool: the calling thread augments (a thread would only add copying).
 *
 * @param threads worker threads @default availableParallelism()
 */
export function createImageThreads(
  url: URL = IMAGE_THREAD_URL,
  threads = availableParallelism(),
): ImageThreads {
  if (threads <= 1) return { augment: augmentImage, size: 0, close: async () => {} };
  const pool = new WorkerPool<ImageThreadTask, ImageOutcome>(url, { size: threads, tasksPerWorker: 2 });
  return {
    size: threads,
    augment: (bytes: Uint8Array, relativeKey: string, settings: PipelineSettings) =>
      // the input's bytes move to the thread; the caller does not use them again
      pool.run(
        { bytes, relativeKey, settings },
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? [bytes.buffer as ArrayBuffer]
          : [],
      ),
    close: () => pool.close(),
  };
}
