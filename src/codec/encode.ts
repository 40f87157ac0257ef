import { encode as encodeFastPng } from 'fast-png';
import { invalidParameter } from '../augmix/errors.js';
import { assertRgbImage, CHANNELS, type RgbImage } from '../augmix/image.js';
import type { OutputFormat } from '../augmix/layout.js';
import { DEFAULT_QUALITY, isOutputFormat } from './formats.js';
import { sharpModule } from './sharp-module.js';

/**
 * PNGs of at most this many pixels are written by fast-png (pure JS, fflate) instead of sharp. A sharp call
 * costs about 0.45 ms however small the image; fast-png writes a 32x32 PNG in about 0.1 ms and breaks even with
 * sharp near 96x96 (measured on the dev machine, one core). Both write 8-bit RGB without ancillary chunks;
 * the decoded pixels are the same (lossless), only the compressed bytes differ.
 *
 * A hand-written PNG writer over `node:zlib` would be about twice as fast again at 32x32, but its bytes would
 * follow the zlib of each Node release; fast-png's pure-JS deflate gives the same bytes under the CLI's Node and
 * the Lambda runtime's, so small PNG variants are byte-identical locally and on AWS.
 */
export const SMALL_PNG_MAX_PIXELS = 8192;

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
 * - `png`: lossless; small images through fast-png (see {@link SMALL_PNG_MAX_PIXELS}), others through sharp
 *   (zlib level 6, no filtering);
 * - `jpeg`: plain libjpeg settings (4:2:0, baseline, standard Huffman tables; no mozjpeg trellis and no Huffman
 *   optimisation). On `npm run bench`'s synthetic photo this encodes 1.4x (224 px) to 2.1-2.4x (2048 px) faster
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
    return encodeFastPng({ width, height, data, channels: CHANNELS, depth: 8 });
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
