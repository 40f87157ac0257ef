import type { AvailableFormatInfo } from 'sharp';
import { InputError } from './input-error.js';
import { sharpModule } from './sharp-module.js';
import { type SniffedFormat, sniffFormat } from './sniff.js';

/** Where a decode failed: reading the header (`metadata()`) or decoding the pixels. */
export type DecodeStage = 'header' | 'pixels';

/** sharp's name for the decoder of each sniffed container (where the names differ). */
const SHARP_FORMAT: Partial<Record<SniffedFormat, string>> = { avif: 'heif', jp2: 'jp2k' };

/**
 * Turns an error thrown by sharp into an {@link InputError}, the boundary rule of the codec: sharp's errors
 * never leave it. The code comes from what we know, not from sharp's wording (which changes between
 * versions): the sniffed container and the stage. sharp's own message stays out of the text, which goes into
 * failure records and manifests that must be the same on every run: libvips keeps one error buffer for the whole
 * process, so with images decoded at once on several threads sharp may report another image's message, or
 * "Unknown error". It is kept as the error's `cause`, for logs.
 *
 * - header unreadable, no known signature → `not-an-image`;
 * - header unreadable, a container this build of sharp decodes → `truncated` (truncated or corrupt);
 * - header unreadable, a container it does not (BMP, ICO, PSD, HEIC, ...) → `unsupported-format`;
 * - pixels fail after a good header → `truncated` (data ends early or is corrupt).
 */
export function toInputError(
  error: unknown,
  bytes: Uint8Array,
  input: string,
  stage: DecodeStage,
): InputError {
  if (error instanceof InputError) return error;
  const detail = describeSharpError(error);
  const options = { cause: error };
  const sniffed = sniffFormat(bytes);
  const label = sniffed === null ? 'image' : sniffed.toUpperCase();
  if (stage === 'pixels') {
    if (/pixel limit/i.test(detail)) {
      return new InputError('too-many-pixels', input, 'too many pixels', options);
    }
    return new InputError('truncated', input, `truncated or corrupt ${label} data`, options);
  }
  if (sniffed === null) {
    return new InputError('not-an-image', input, 'not an image in any format sharp reads', options);
  }
  if (!canDecode(sniffed)) {
    return new InputError(
      'unsupported-format',
      input,
      `${label} is not a format this build of sharp can decode`,
      options,
    );
  }
  return new InputError('truncated', input, `truncated or corrupt ${label} header`, options);
}

function canDecode(format: SniffedFormat): boolean {
  if (format === 'heic') return false;
  const name = SHARP_FORMAT[format] ?? format;
  const entry = (sharpModule().format as unknown as Record<string, AvailableFormatInfo | undefined>)[name];
  return entry?.input.buffer === true;
}

function describeSharpError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
