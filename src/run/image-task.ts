import type { S3ClientSettings } from '../aws/bucket-run/s3-access.js';
import type { FailureCode } from '../pipeline/failure.js';
import type { PipelineSettings } from '../pipeline/types.js';
import type { SourceFingerprint } from './manifest-lines.js';
import type { SharpGate } from './sharp-gate.js';

/** Where an input image is read from: a local file, or an S3 object (read as the deployed worker reads it). */
export type InputSource =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'object';
      readonly bucket: string;
      /** The whole object key (input prefix included). */
      readonly key: string;
      /** Size from the listing, checked against `maxBytes` before the download. */
      readonly size: number | null;
      /** ETag from the listing (unquoted): the read is guarded by it, as the worker's is by its event's. */
      readonly eTag: string | null;
    };

/** One image for a worker: its relative key and where to read it. */
export interface ImageTask {
  readonly key: string;
  readonly source: InputSource;
  /**
   * The input was done before (from other content): names of its outputs that this run does not write (the
   * other formats' variants, a failed input's old variants) are removed from an output folder.
   */
  readonly redo?: boolean;
}

/** Where a run writes: a local folder (atomic files), or a bucket prefix (objects, as the deployed worker writes). */
export type OutputTarget =
  | { readonly kind: 'folder'; readonly root: string }
  | { readonly kind: 'bucket'; readonly bucket: string; readonly prefix: string };

/** What the image handler (image-handler.ts) works with, in a worker thread or in the main thread. */
export interface ImageHandlerData {
  /** Resolved settings (the output of `resolveSettings`). */
  readonly settings: PipelineSettings;
  /** The output: a folder (absolute) or a bucket prefix; outputs go under it, mirroring the relative keys. */
  readonly output: OutputTarget;
  /** The input bucket's prefix (the worker's INPUT_PREFIX) when the input is a bucket, else ''. */
  readonly inputPrefix: string;
  /** How to reach S3 when the input or the output is a bucket, else `null`. */
  readonly s3: S3ClientSettings | null;
}

/** What every image worker thread is started with (`workerData`): the handler's data and the sharp gate. */
export interface ImageWorkerData extends ImageHandlerData {
  /** How to have the main thread load sharp before this worker does (see sharp-gate.ts). */
  readonly sharpGate: SharpGate;
}

/** The files a worker wrote for one input (names relative to the output folder). */
export interface WrittenImage {
  readonly relativeKey: string;
  /** The input as it was read (size and mtime of a file, size and ETag of an object). */
  readonly source: SourceFingerprint | null;
  /** The provenance document. */
  readonly document: string;
  readonly variants: readonly { readonly name: string; readonly variant: number; readonly seed: number }[];
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
