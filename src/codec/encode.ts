import { invalidParameter } from '../augmix/errors.js';
import { assertRgbImage, CHANNELS, type RgbImage } from '../augmix/image.js';
import type { OutputFormat } from '../augmix/layout.js';
import { DEFAULT_QUALITY, isOutputFormat } from './formats.js';
import { encodeBaselineJpeg } from './jpeg-encode.js';
import { encodeSmallPng } from './png-encode.js';
import { sharpModule } from './sharp-module.js';

/**
 * PNGs of at most this many pixels are written in JS ({@link encodeSmallPng}: Paeth-filtered rows, one
 * Huffman-coded deflate block) instead of by sharp: a sharp call costs about 0.45 ms however small the image.
 * Both write 8-bit RGB without ancillary chunks; the decoded pixels are the same (lossless), only the
 * compressed bytes differ.
 */
export const SMALL_PNG_MAX_PIXELS = 8192;

/**
 * JPEGs of at most this many pixels are written in JS ({@link encodeBaselineJpeg}, WebAssembly kernels)
 * instead of by sharp, with the same bytes: below this size sharp's fixed cost per call outweighs its faster
 * transform (the writer's own figures: docs/jpeg-writer.md).
 */
export const SMALL_JPEG_MAX_PIXELS = 131_072;

export interface EncodeOptions {
  /**
   * Quality 1..100 for jpeg, webp and avif, or `null` for the format's default ({@link DEFAULT_QUALITY}:
   * jpeg 90, webp 90, avif 60). Ignored for png, which is lossless.
   * @default null
   */
  readonly quality?: number | null;
}

/**
 * Encodes an 8-bit RGB image. Metadata is never written (no EXIF, no ICC profile: the pixels are sRGB).
 *
 * - `png`: lossless; small images in JS (see {@link SMALL_PNG_MAX_PIXELS}), others through sharp
 *   (zlib level 6, no filtering);
 * - `jpeg`: plain libjpeg settings (4:2:0, baseline, standard Huffman tables; no mozjpeg trellis and no Huffman
 *   optimisation); small images in JS with the same bytes (see {@link SMALL_JPEG_MAX_PIXELS}). On
 *   `npm run bench`'s synthetic photo these settings encode 1.4x (224 px) to 2.1-2.4x (2048 px) faster
 *   than sharp's default (optimised Huffman tables) for files 10-20% larger, and 7-30x faster than mozjpeg;
 *   for dataset augmentation encode time is the cost that scales, so speed wins;
 * - `webp` and `avif`: lossy with sharp's default effort (4).
 */
export async function encode(
  image: RgbImage,
  format: OutputFormat,
  options: EncodeOptions = {},
): Promise<Uint8Array> {
  const { quality = null } = options;
  assertRgbImage(image);
  if (!isOutputFormat(format)) throw invalidParameter('format', 'one of jpeg, png, webp, avif', format);
  if (quality !== null && (!Number.isInteger(quality) || quality < 1 || quality > 100)) {
    throw invalidParameter('quality', 'null or an integer in 1..100', quality);
  }
  const { width, height, data } = image;
  if (format === 'png' && width * height <= SMALL_PNG_MAX_PIXELS) {
    return encodeSmallPng(image);
  }
  if (format === 'jpeg' && width * height <= SMALL_JPEG_MAX_PIXELS) {
    return encodeBaselineJpeg(image, quality ?? DEFAULT_QUALITY.jpeg);
  }
  const pipeline = sharpModule()(data, { raw: { width, height, channels: CHANNELS } });
  let output: Buffer;
  switch (format) {
    case 'png':
      output = await pipeline.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
      break;
    case 'jpeg':
      output = await pipeline
        .jpeg({ quality: quality ?? DEFAULT_QUALITY.jpeg, optimiseCoding: false, chromaSubsampling: '4:2:0' })
        .toBuffer();
      break;
    case 'webp':
      output = await pipeline.webp({ quality: quality ?? DEFAULT_QUALITY.webp }).toBuffer();
      break;
    case 'avif':
      output = await pipeline.avif({ quality: quality ?? DEFAULT_QUALITY.avif }).toBuffer();
      break;
  }
  return new Uint8Array(output.buffer, output.byteOffset, output.length);
}
