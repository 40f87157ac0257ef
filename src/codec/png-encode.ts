import { deflateSync } from 'node:zlib';
import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { crc32 } from './png-crc.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Writes an 8-bit RGB PNG with Node's zlib (deflate level 6, filter 0 on every row, no ancillary chunks):
 * about 4x quicker than a pure-JS deflate on a 32x32 image. Lossless, so the pixels never change; the
 * compressed bytes are those of the zlib that Node.js was built with.
 */
export function encodePngWithZlib(image: RgbImage): Uint8Array {
  const { width, height, data } = image;
  const stride = width * CHANNELS;
  const raw = Buffer.allocUnsafe(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const idat = deflateSync(raw, { level: 6 });
  const out = new Uint8Array(8 + 25 + 12 + idat.length + 12);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let at = 8;
  const chunk = (type: string, body: Uint8Array | null, length: number, fill?: (offset: number) => void) => {
    view.setUint32(at, length);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
    if (body !== null) out.set(body, at + 8);
    fill?.(at + 8);
    view.setUint32(at + 8 + length, crc32(out, at + 4, at + 8 + length));
    at += 12 + length;
  };
  chunk('IHDR', null, 13, (o) => {
    view.setUint32(o, width);
    view.setUint32(o + 4, height);
    out[o + 8] = 8; // bit depth
    out[o + 9] = 2; // colour type: RGB
    // compression, filter method, interlace: 0
  });
  chunk('IDAT', idat, idat.length);
  chunk('IEND', null, 0);
  return out;
}
