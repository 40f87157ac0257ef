import sharp from 'sharp';
import type { RgbImage } from '../src/augmix/image.js';
import type { OutputFormat } from '../src/augmix/layout.js';
import { decode } from '../src/codec/index.js';

/**
 * The sharp floor of one input: decode it once and encode it `k` times with sharp alone (no augmentation),
 * JPEG with the codec's settings (quality 90, plain libjpeg), PNG with sharp's defaults. Unlike the codec it
 * never takes the pure-JS PNG path, so at 32x32 it shows what one sharp call per variant costs.
 */
export async function sharpFloor(input: Uint8Array, format: OutputFormat, k: number): Promise<void> {
  const { image } = await decode(input);
  for (let i = 0; i < k; i++) await sharpEncode(image, format);
}

async function sharpEncode(image: RgbImage, format: OutputFormat): Promise<Buffer> {
  const pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: 90, optimiseCoding: false }).toBuffer();
    case 'png':
      return pipeline.png().toBuffer();
    case 'webp':
      return pipeline.webp({ quality: 90 }).toBuffer();
    case 'avif':
      return pipeline.avif({ quality: 60 }).toBuffer();
  }
}
