import type { Metadata, OutputInfo, Sharp } from 'sharp';
import { invalidParameter } from '../augmix/errors.js';
import { CHANNELS, imageFromData, type RgbImage } from '../augmix/image.js';
import type { DecodeSettings } from '../augmix/record.js';
import { toInputError } from './decode-errors.js';
import { InputError } from './input-error.js';
import { decodePlainJpeg, JS_JPEG_MAX_PIXELS } from './jpeg-decode.js';
import { readJpegHeader } from './jpeg-header.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, MAX_PIXELS_LIMIT, MAX_SIZE } from './limits.js';
import { decodePlainPng, JS_PNG_MAX_PIXELS } from './png-decode.js';
import { type InputHeader, readPngHeader } from './png-header.js';
import { sharpModule } from './sharp-module.js';

/**
 * sharp's `failOn` for every decode. `truncated` refuses images whose data ends early (a half-downloaded JPEG
 * or PNG) instead of returning grey or black rows, yet accepts files that only raise decoder warnings (JPEGs
 * with extraneous bytes before a marker, as many cameras write), which viewers and Pillow also accept.
 */
export const FAIL_ON = 'truncated' as const;

export interface DecodeOptions {
  /**
   * Name of the input (file path or relative key), used in error messages and as `InputError.input`.
   * @default 'input'
   */
  readonly input?: string;
  /**
   * `auto` applies the EXIF orientation (the picture as a viewer shows it); `raw` keeps the stored pixel order,
   * as Pillow's `Image.open` does.
   * @default 'auto'
   */
  readonly orientation?: 'auto' | 'raw';
  /**
   * Resize the short side to `size` (sharp's default Lanczos-3 kernel) and centre-crop a `size` x `size` square,
   * or `null` to keep the decoded size.
   * @default null
   */
  readonly size?: number | null;
  /**
   * Also decode what is not a raster image format (SVG, PDF and whatever else sharp reads): by default
   * these are refused as `unsupported-format` from their header, before any rendering, since the time to
   * render a vector image is bounded by neither its bytes nor its pixels (a few hundred bytes of SVG filters
   * can take seconds per megapixel).
   * @default false (raster only: {@link RASTER_FORMATS})
   */
  readonly allowNonRaster?: boolean;
  /**
   * Largest accepted input in pixels (width * height), checked on the header before any pixel is decoded.
   * @default 30_000_000
   */
  readonly maxPixels?: number;
  /**
   * Largest accepted input in bytes, checked before sharp sees the bytes.
   * @default 256 MiB
   */
  readonly maxBytes?: number;
}

/** A decoded input. */
export interface DecodedImage {
  /** 8-bit sRGB, three channels, alpha dropped. */
  readonly image: RgbImage;
  /**
   * The input's format as sharp names its decoder (`jpeg`, `png`, `webp`, `gif`, `tiff`, `svg`, ...), except
   * that HEIF files holding AV1 are reported as `avif`.
   */
  readonly format: string;
  /** How the image was decoded (goes into provenance records as `decode`). */
  readonly decode: DecodeSettings;
}

/**
 * Decodes any image sharp reads (JPEG, PNG, WebP, AVIF, TIFF, GIF first frame, SVG, ...) to 8-bit sRGB RGB:
 *
 * - grey and palette images are expanded to three channels; 16-bit samples keep their high byte, as a viewer
 *   shows them (a 16-bit PNG decodes to the same pixels as its 8-bit twin);
 * - CMYK and ICC-tagged images are converted to sRGB with their embedded profile (CMYK without a profile with
 *   libvips' built-in CMYK profile); untagged images are taken as sRGB;
 * - alpha is dropped **without compositing**: the colour stored under a transparent pixel is kept, exactly as
 *   Pillow's `convert('RGB')` does (not flattened onto a background). With `size`, alpha is dropped before the
 *   resize, so transparent pixels do not darken their neighbours;
 * - the EXIF orientation is applied unless `orientation` is `raw`.
 *
 * Never throws anything but {@link InputError} for bad bytes (empty, truncated, not-an-image,
 * unsupported-format, too-many-pixels, too-many-bytes); bad options are `RangeError`s / `TypeError`s.
 * The pixel limit is checked on the header before decoding (PNG: the IHDR chunk, JPEG: the frame header, both
 * read in JS; others: sharp `metadata()`, which decodes no pixels), so a decompression bomb is refused in about
 * a millisecond with no large allocation; sharp's own `limitInputPixels` is set to the same limit as a second
 * guard. Small plain PNGs and JPEGs are decoded in JS (png-decode.ts, jpeg-decode.ts) to the pixels sharp gives.
 */
export async function decode(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const {
    input = 'input',
    orientation = 'auto',
    size = null,
    maxPixels = DEFAULT_MAX_PIXELS,
    maxBytes = DEFAULT_MAX_BYTES,
  } = options;
  assertDecodeOptions({ orientation, size, maxPixels, maxBytes });
  if (!(bytes instanceof Uint8Array)) throw invalidParameter('bytes', 'a Uint8Array', bytes, TypeError);
  if (bytes.length === 0) throw new InputError('empty', input, 'the file is empty (0 bytes)');
  if (bytes.length > maxBytes) {
    throw new InputError(
      'too-many-bytes',
      input,
      `${bytes.length} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  }

  const header = readPngHeader(bytes) ?? readJpegHeader(bytes) ?? (await readHeader(bytes, input));
  const { format } = header;
  if (options.allowNonRaster !== true && !(RASTER_FORMATS as readonly string[]).includes(format)) {
    throw new InputError(
      'unsupported-format',
      input,
      `${format} is not a raster image format (accepted: ${RASTER_FORMATS.join(', ')}); vector and other ` +
        'formats are decoded only when allowNonRaster is set',
    );
  }
  const { width, height } = header;
  if (width * height > maxPixels) {
    throw new InputError(
      'too-many-pixels',
      input,
      `${width}x${height} = ${width * height} pixels exceeds the limit of ${maxPixels} pixels`,
    );
  }

  if (size === null && width * height <= (JS_DECODE_MAX_PIXELS[format] ?? 0)) {
    // the plain small PNGs and JPEGs of image datasets: the same pixels as sharp's, without a sharp call
    const plain = format === 'png' ? decodePlainPng(bytes) : decodePlainJpeg(bytes);
    if (plain !== null) {
      return { image: plain, format, decode: { orientation, size, colour: 'srgb', width, height } };
    }
  }

  const inputOptions = { failOn: FAIL_ON, limitInputPixels: maxPixels, autoOrient: orientation === 'auto' };
  const resizeNow = size !== null && !header.hasAlpha;
  let image = await toRgb(
    () => {
      const pipeline = sharpModule()(bytes, inputOptions).removeAlpha().toColourspace('srgb');
      return resizeNow ? pipeline.resize(size, size, COVER) : pipeline;
    },
    bytes,
    input,
  );
  if (size !== null && header.hasAlpha) {
    // sharp premultiplies alpha around a resize; resize the alpha-free pixels in a second pass instead.
    const raw = { width: image.width, height: image.height, channels: CHANNELS } as const;
    const pixels = image.data;
    image = await toRgb(() => sharpModule()(pixels, { raw }).resize(size, size, COVER), bytes, input);
  }
  return {
    image,
    format,
    decode: { orientation, size, colour: 'srgb', width: image.width, height: image.height },
  };
}

/**
 * Formats decoded by default, as sharp names them: JPEG, PNG, WebP, AVIF (reported as `avif`; other HEIF
 * compressions such as HEIC are refused, sharp's prebuilt build has no HEVC decoder), TIFF and GIF (its first
 * frame).
 */
export const RASTER_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'tiff', 'gif'] as const;

/** Checks decode options; throws `RangeError` / `TypeError` naming the option. */
export function assertDecodeOptions(
  options: Required<Omit<DecodeOptions, 'input' | 'allowNonRaster'>>,
): void {
  const { orientation, size, maxPixels, maxBytes } = options;
  if (orientation !== 'auto' && orientation !== 'raw') {
    throw invalidParameter('orientation', '"auto" or "raw"', orientation);
  }
  if (size !== null && (!Number.isInteger(size) || size < 1 || size > MAX_SIZE)) {
    throw invalidParameter('size', `null or an integer in 1..${MAX_SIZE}`, size);
  }
  if (!Number.isInteger(maxPixels) || maxPixels < 1 || maxPixels > MAX_PIXELS_LIMIT) {
    throw invalidParameter('maxPixels', 'a safe integer >= 1', maxPixels);
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > Number.MAX_SAFE_INTEGER) {
    throw invalidParameter('maxBytes', 'a safe integer >= 1', maxBytes);
  }
}

const COVER = { fit: 'cover', position: 'centre' } as const;

/** The largest inputs decoded in JS, per format (0 for the formats only sharp decodes). */
const JS_DECODE_MAX_PIXELS: Record<string, number> = { png: JS_PNG_MAX_PIXELS, jpeg: JS_JPEG_MAX_PIXELS };

async function readHeader(bytes: Uint8Array, input: string): Promise<InputHeader> {
  let metadata: Metadata;
  try {
    // metadata() parses the header only: no pixels are decoded, whatever the declared size.
    metadata = await sharpModule()(bytes, { failOn: FAIL_ON, limitInputPixels: false }).metadata();
  } catch (error) {
    throw toInputError(error, bytes, input, 'header');
  }
  const { format, compression, width, height, hasAlpha } = metadata;
  if (format === 'heif' && compression !== undefined && compression !== 'av1') {
    throw new InputError(
      'unsupported-format',
      input,
      `HEIF with ${compression} compression (e.g. HEIC) cannot be decoded by this build of sharp`,
    );
  }
  return { format: format === 'heif' && compression === 'av1' ? 'avif' : format, width, height, hasAlpha };
}

/** Runs a sharp pipeline (built inside the guard, so even a synchronous sharp error becomes an InputError). */
async function toRgb(pipeline: () => Sharp, bytes: Uint8Array, input: string): Promise<RgbImage> {
  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await pipeline().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw toInputError(error, bytes, input, 'pixels');
  }
  const { data, info } = output;
  if (info.channels !== CHANNELS) {
    throw new Error(`sharp returned ${info.channels} channels instead of ${CHANNELS}`);
  }
  return imageFromData(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length));
}
