import { configureSharp } from '../codec/configure.js';
import type { PipelineSettings } from '../pipeline/types.js';
import { serveTasks } from '../run/serve-tasks.js';
import { augmentImage, type ImageOutcome } from './image-outcome.js';

/** One input for an image thread. */
export interface ImageThreadTask {
  readonly bytes: Uint8Array;
  readonly relativeKey: string;
  readonly settings: PipelineSettings;
}

/**
 * Serves image tasks in a worker thread of the batch mode: `processImage` on each input, the outcome (variant
 * bytes moved, not copied) posted back. libvips runs one thread per operation: the pool already runs one image
 * per vCPU.
 */
export function serveImageTasks(): void {
  configureSharp({ concurrency: 1, cache: false });
  serveTasks<ImageThreadTask, ImageOutcome>(async (task) => {
    const result = await augmentImage(task.bytes, task.relativeKey, task.settings);
    if (!result.ok) return { result };
    const { processed } = result;
    const buffers = [
      ...processed.variants.map((v) => v.bytes),
      ...(processed.clean ? [processed.clean.bytes] : []),
    ];
    return { result, transfer: buffers.map((bytes) => bytes.buffer as ArrayBuffer) };
  });
}
