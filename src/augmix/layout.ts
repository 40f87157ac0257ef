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
  /** Its provenance record (JSON). */
  readonly record: string;
}

/**
 * The output layout, shared by the CLI and the workers. For an input with relative key `K` (e.g.
 * `train/cat/001.jpg`) and output extension `e`:
 *
 * - plain mode, variant i (0-based, two digits at least): `K.augmix-00.e` and its record `K.augmix-00.json`;
 * - JSD mode: the clean view `K.clean.e`, and for pair j the two views `K.jsd-00a.e` / `K.jsd-00b.e`
 *   (variant indices 2j and 2j+1) with records `K.jsd-00a.json` / `K.jsd-00b.json`;
 * - a failure record for the input: `K.augmix-error.json`.
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
  return { variant, image: `${stem}.${ext}`, record: `${stem}.json` };
}

/** Name of the clean view written in JSD mode. */
export function cleanName(relativeKey: string, format: OutputFormat): string {
  assertRelativeKey(relativeKey);
  return `${relativeKey}.clean.${extensionOf(format)}`;
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
