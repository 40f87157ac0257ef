import { InputError } from '../codec/input-error.js';
import type { FailureCode } from '../pipeline/failure.js';
import { processImage } from '../pipeline/process-image.js';
import type { PipelineSettings, ProcessedImage } from '../pipeline/types.js';

/** What augmenting one input gives: its outputs, or the permanent failure to record. */
export type ImageOutcome =
  | { readonly ok: true; readonly processed: ProcessedImage }
  | { readonly ok: false; readonly code: FailureCode; readonly message: string };

/** Augments one input (`processImage`). Permanent failures are outcomes; anything else is thrown. */
export type AugmentImage = (
  bytes: Uint8Array,
  relativeKey: string,
  settings: PipelineSettings,
) => Promise<ImageOutcome>;

/** `processImage` on the calling thread, an `InputError` turned into a failure outcome. */
export async function augmentImage(
  bytes: Uint8Array,
  relativeKey: string,
  settings: PipelineSettings,
): Promise<ImageOutcome> {
  try {
    return { ok: true, processed: await processImage(bytes, relativeKey, settings) };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
