import { augmentAndMix } from '../augmix/augment-and-mix.js';
import type { RgbImage } from '../augmix/image.js';
import type { DecodeSettings, ProvenanceRecord } from '../augmix/record.js';
import { variantSeed } from '../augmix/seed.js';
import { augmixParametersOf } from './settings.js';
import type { PipelineSettings } from './types.js';

/** One AugMix variant before encoding. */
export interface AugmentedVariant {
  readonly variant: number;
  /** The variant's seed from the core's seed rule. */
  readonly seed: number;
  readonly image: RgbImage;
  /** The provenance record, with `decode` set. */
  readonly record: ProvenanceRecord;
}

/**
 * Draws and applies variant `variant` of an input: the one rule shared by `processImage` (every front end) and
 * `augmix sample`. Seed = `variantSeed(settings.seed, relativeKey, variant)`; the record gets the decode
 * settings the image was decoded with, so replaying it on the original file reproduces the variant.
 *
 * @param image the decoded input (from the codec, with `decode` settings)
 * @param variant the seed index: 0..K-1 in plain mode; in JSD mode pair j uses 2j and 2j+1
 */
export function augmentVariant(
  image: RgbImage,
  decode: DecodeSettings,
  relativeKey: string,
  variant: number,
  settings: PipelineSettings,
): AugmentedVariant {
  const seed = variantSeed(settings.seed, relativeKey, variant);
  const result = augmentAndMix(image, augmixParametersOf(settings), seed);
  return { variant, seed, image: result.image, record: { ...result.record, decode } };
}
