import type { FailureCode } from '../pipeline/failure.js';
import type { PipelineSettings, ProcessedImage } from '../pipeline/types.js';

/** One image for a worker: its relative key and where to read it. */
export interface ImageTask {
  readonly key: string;
  readonly path: string;
}

/** A worker's answer for one image: its outputs, or why it failed (a per-input failure, not a crash). */
export type ImageResult =
  | { readonly kind: 'done'; readonly image: ProcessedImage }
  | { readonly kind: 'failed'; readonly error: { readonly code: FailureCode; readonly message: string } };

/** What every image worker is started with (`workerData`). */
export interface ImageWorkerData {
  /** Resolved settings (the output of `resolveSettings`). */
  readonly settings: PipelineSettings;
}
