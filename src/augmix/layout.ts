import { invalidParameter } from './errors.js';
import { assertRelativeKey } from './seed.js';

/** Output image formats (file extensions as written). */
export const OUTPUT_EXTENSIONS = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' } as const;
export type OutputFormat = keyof typeof OUTPUT_EXTENSIONS;

/** Names of everything written for one input, relative to the output root or prefix. */
export interface VariantNames {
  /** The variant's seed index (plain mode: 0..K-1; JSD mode: pair j uses 2j and 2j+1). */
  readonly variant: number;
  /** The encoded variant image. */
  readonly image: string;
}

/**
 * The output layout, shared by the CLI and the workers. For an input with relative key `K` (e.g.
 * `train/cat/001.jpg`) and output extension `e`:
 *
 * - plain mode, variant i (0-based, two digits at least): `K.augmix-00.e`;
 * - JSD mode: the clean view `K.clean.e`, and for pair j the two views `K.jsd-00a.e` / `K.jsd-00b.e`
 *   (variant indices 2j and 2j+1);
 * - one provenance document for the input (its K records, the source's key, ETag and size):
 *   `K.augmix.json`, so an input costs K+1 objects (JSD mode: 2K+2);
 * - a failure record for the input: `K.augmix-error.json` (never beside the variants and document: each
 *   outcome removes the other's objects).
 *
 * Outputs sit beside the mirrored input path, so class folders (ImageFolder layouts) are kept. Every name is
 * the whole input key plus a suffix that no other suffix ends with, so two inputs never share an output
 * name (`cat.jpg` and `cat.png` give `cat.jpg.augmix-00.png` and `cat.png.augmix-00.png`).
 */
export function variantNames(
  relativeKey: string,
  variant: number,
  format: OutputFormat,
  jsd = false,
): VariantNames {
  assertRelativeKey(relativeKey);
  if (!Number.isSafeInteger(variant) || variant < 0) {
    throw invalidParameter('variant', 'an integer >= 0', variant);
  }
  const ext = extensionOf(format);
  const stem = jsd
    ? `${relativeKey}.jsd-${pad(Math.floor(variant / 2))}${variant % 2 === 0 ? 'a' : 'b'}`
    : `${relativeKey}.augmix-${pad(variant)}`;
  return { variant, image: `${stem}.${ext}` };
}

/** Name of the clean view written in JSD mode. */
export function cleanName(relativeKey: string, format: OutputFormat): string {
  assertRelativeKey(relativeKey);
  return `${relativeKey}.clean.${extensionOf(format)}`;
}

/** Name of the provenance document of an input (its variants' records, the source it was made from). */
export function provenanceName(relativeKey: string): string {
  assertRelativeKey(relativeKey);
  return `${relativeKey}.augmix.json`;
}

/** Name of the failure record for an input that could not be augmented. */
export function failureName(relativeKey: string): string {
  assertRelativeKey(relativeKey);
  return `${relativeKey}.augmix-error.json`;
}

/** Every variant of an input, in order: K names in plain mode, 2K (K pairs) in JSD mode. */
export function allVariantNames(
  relativeKey: string,
  variants: number,
  format: OutputFormat,
  jsd = false,
): VariantNames[] {
  if (!Number.isSafeInteger(variants) || variants < 1) {
    throw invalidParameter('variants', 'an integer >= 1', variants);
  }
  const count = jsd ? variants * 2 : variants;
  return Array.from({ length: count }, (_, i) => variantNames(relativeKey, i, format, jsd));
}

/**
 * Every name an input can have outputs under with `variants` and `jsd`, in any output format: the variant
 * images and clean views of all four formats, the provenance document and the failure record. What is not
 * written for an outcome is deleted from this list, so a format change or a failure leaves nothing stale.
 */
export function everyOutputName(relativeKey: string, variants: number, jsd = false): string[] {
  const names: string[] = [];
  for (const format of Object.keys(OUTPUT_EXTENSIONS) as OutputFormat[]) {
    for (const variant of allVariantNames(relativeKey, variants, format, jsd)) names.push(variant.image);
    if (jsd) names.push(cleanName(relativeKey, format));
  }
  names.push(provenanceName(relativeKey), failureName(relativeKey));
  return names;
}

/** The longest output name suffix for `variants` (added to the relative key), in UTF-8 bytes. */
export function longestSuffixBytes(variants: number, jsd = false): number {
  return Math.max(...everyOutputName('k', variants, jsd).map((name) => utf8Length(name) - 1));
}

function extensionOf(format: OutputFormat): string {
  const ext = OUTPUT_EXTENSIONS[format];
  if (ext === undefined) {
    throw invalidParameter('format', `one of ${Object.keys(OUTPUT_EXTENSIONS).join(', ')}`, format);
  }
  return ext;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}
