import type { ProvenanceRecord } from '../augmix/record.js';
import type { FailureCode } from '../pipeline/failure.js';
import type { PipelineSettings } from '../pipeline/types.js';

/** One image for a worker: its relative key and where to read it. */
export interface ImageTask {
  readonly key: string;
  readonly path: string;
}

/** What every image worker is started with (`workerData`). */
export interface ImageWorkerData {
  /** Resolved settings (the output of `resolveSettings`). */
  readonly settings: PipelineSettings;
  /** The output folder (absolute); outputs go under it, mirroring the relative keys. */
  readonly outputRoot: string;
}

/** The files a worker wrote for one input (names relative to the output folder). */
export interface WrittenImage {
  readonly relativeKey: string;
  readonly variants: readonly {
    readonly name: string;
    readonly recordName: string;
    readonly variant: number;
    readonly seed: number;
    readonly record: ProvenanceRecord;
  }[];
  /** The clean view (JSD mode), or `null`. */
  readonly clean: string | null;
}

/**
 * A worker's answer for one image: the files it wrote; a per-input failure (bad image: recorded, the run goes
 * on); or an output that could not be written (the run cannot go on).
 */
export type ImageResult =
  | { readonly kind: 'done'; readonly written: WrittenImage }
  | { readonly kind: 'failed'; readonly error: { readonly code: FailureCode; readonly message: string } }
  | { readonly kind: 'write-failed'; readonly code: string | null; readonly message: string };
