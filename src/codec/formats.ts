import { invalidParameter } from '../augmix/errors.js';
import { OUTPUT_EXTENSIONS, type OutputFormat } from '../augmix/layout.js';

/**
 * Extensions (lower case, without the dot) of the files every front end treats as images by default: what the
 * codec decodes (JPEG, PNG, WebP, AVIF, TIFF, GIF's first frame). `augmix run --ext`, the stack's notification
 * suffixes and `augmix backfill` all start from this list.
 */
export const INPUT_IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'avif', 'tif', 'tiff', 'gif'] as const;

/** {@link INPUT_IMAGE_EXTENSIONS} as key suffixes (`.jpg`), as S3 notification filters and backfill use them. */
export const INPUT_IMAGE_SUFFIXES: readonly string[] = INPUT_IMAGE_EXTENSIONS.map((ext) => `.${ext}`);

/** The formats `encode` writes. */
export const OUTPUT_FORMATS = Object.keys(OUTPUT_EXTENSIONS) as OutputFormat[];

/** MIME type of each output format. */
export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** Encoder quality used when none is given (1..100). PNG is lossless and takes none. */
export const DEFAULT_QUALITY = { jpeg: 90, webp: 90, avif: 60 } as const;

export function isOutputFormat(format: unknown): format is OutputFormat {
  return typeof format === 'string' && (OUTPUT_FORMATS as string[]).includes(format);
}

/**
 * The output format for `format: 'same'`: the input's own format when it is one we write (jpeg, png, webp,
 * avif), PNG otherwise (GIF, TIFF, SVG, ... become lossless PNG).
 *
 * @param inputFormat the format `decode` reported
 */
export function sameFormatAs(inputFormat: string): OutputFormat {
  return isOutputFormat(inputFormat) ? inputFormat : 'png';
}

/** File-name extensions (lower case, without the dot) and the format each one is written in. */
const EXTENSION_FORMATS: Readonly<Record<string, OutputFormat>> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};

/**
 * The output format a file name asks for (`out.png` → png, `x.JPG` → jpeg).
 * @throws RangeError naming the path when its extension is not one of ours
 */
export function formatFromPath(path: string): OutputFormat {
  const match = /\.([^./\\]+)$/.exec(path);
  const format = match ? EXTENSION_FORMATS[match[1]!.toLowerCase()] : undefined;
  if (format === undefined) {
    throw invalidParameter(
      'output file extension',
      `one of ${Object.keys(EXTENSION_FORMATS)
        .map((ext) => `.${ext}`)
        .join(', ')}`,
      path,
    );
  }
  return format;
}
