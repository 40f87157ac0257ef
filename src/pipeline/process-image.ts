import { allVariantNames, cleanName, type OutputFormat, provenanceName } from '../augmix/layout.js';
import { assertRelativeKey } from '../augmix/seed.js';
import { CONTENT_TYPES, decode, encode, sameFormatAs } from '../codec/index.js';
import { augmentVariant } from './augment-variant.js';
import type { EncodedOutput, PipelineSettings, ProcessedImage, VariantOutput } from './types.js';

/**
 * Turns one input into its encoded AugMix variants, provenance records and output names: the one path for one
 * image shared by `augmix run` and the Lambda workers.
 *
 * The bytes are checked against `maxBytes` and decoded once (EXIF orientation, `size`, sRGB, alpha dropped, as
 * the settings say); variant i is `augmentAndMix` with the seed `variantSeed(seed, relativeKey, i)`, so the
 * outputs depend only on the bytes, the key and the settings (not on order or concurrency). In JSD mode the
 * `variants` pairs use seed indices 2j and 2j+1 and the clean view is the decoded image, encoded. Outputs are
 * encoded in `settings.format` (`same`: the input's format when jpeg/png/webp/avif, else png).
 *
 * @param bytes the input file's bytes
 * @param relativeKey the input's key relative to the input root or prefix (`train/cat/001.jpg`)
 * @param settings resolved settings (`resolveSettings`)
 * @throws InputError (with `input` = `relativeKey`) when the bytes are not a usable image
 */
export async function processImage(
  bytes: Uint8Array,
  relativeKey: string,
  settings: PipelineSettings,
): Promise<ProcessedImage> {
  assertRelativeKey(relativeKey);
  const { orientation, size, maxPixels, maxBytes, quality, allowNonRaster } = settings;

  let started = performance.now();
  const decoded = await decode(bytes, {
    input: relativeKey,
    orientation,
    size,
    maxPixels,
    maxBytes,
    allowNonRaster,
  });
  const decodeMs = performance.now() - started;

  const format: OutputFormat = settings.format === 'same' ? sameFormatAs(decoded.format) : settings.format;
  const contentType = CONTENT_TYPES[format];
  let augmentMs = 0;
  let encodeMs = 0;
  const variants: VariantOutput[] = [];
  for (const names of allVariantNames(relativeKey, settings.variants, format, settings.jsd)) {
    started = performance.now();
    const variant = augmentVariant(decoded.image, decoded.decode, relativeKey, names.variant, settings);
    augmentMs += performance.now() - started;
    started = performance.now();
    const encoded = await encode(variant.image, format, { quality });
    encodeMs += performance.now() - started;
    variants.push({
      name: names.image,
      bytes: encoded,
      contentType,
      variant: variant.variant,
      seed: variant.seed,
      record: variant.record,
    });
  }

  let clean: EncodedOutput | null = null;
  if (settings.jsd) {
    started = performance.now();
    const encoded = await encode(decoded.image, format, { quality });
    encodeMs += performance.now() - started;
    clean = { name: cleanName(relativeKey, format), bytes: encoded, contentType };
  }
  const documentName = provenanceName(relativeKey);
  return { relativeKey, variants, documentName, clean, timings: { decodeMs, augmentMs, encodeMs } };
}
