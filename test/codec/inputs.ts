/**
 * Real-world edge inputs for the codec tests, made at test time (fast-png for exact PNG layouts, sharp for
 * JPEG/WebP/AVIF/TIFF/GIF and colour-managed files, hand-written bytes for broken and hostile files).
 */
import { deflateSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import sharp, { type Sharp } from 'sharp';
import type { RgbImage } from '../../src/augmix/image.js';

/** A deterministic RGB test pattern: gradients plus a little structure, every channel different. */
export function pattern(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.floor((x * 255) / Math.max(1, width - 1));
      data[i + 1] = Math.floor((y * 255) / Math.max(1, height - 1));
      data[i + 2] = (x * 37 + y * 91) & 255;
    }
  }
  return { width, height, data };
}

/** A smooth RGB gradient (what lossy codecs keep well). */
export function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = 40 + Math.floor((x * 170) / width);
      data[i + 1] = 40 + Math.floor((y * 170) / height);
      data[i + 2] = 40 + Math.floor(((x + y) * 85) / (width + height));
    }
  }
  return { width, height, data };
}

/** An image made of flat colour blocks (survives JPEG, GIF and CMYK round trips nearly unchanged). */
export function blocks(width: number, height: number, colours: readonly (readonly number[])[]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const band = Math.ceil(width / colours.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = colours[Math.min(colours.length - 1, Math.floor(x / band))]!;
      data.set(colour, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

export function rgbPng(image: RgbImage): Uint8Array {
  return encodePng({ width: image.width, height: image.height, data: image.data, channels: 3, depth: 8 });
}

/** 8-bit grey PNG (colour type 0) of the given grey values. */
export function greyPng(width: number, height: number, grey: Uint8Array): Uint8Array {
  return encodePng({ width, height, data: grey, channels: 1, depth: 8 });
}

/** Grey + alpha PNG (colour type 4). */
export function greyAlphaPng(width: number, height: number, grey: Uint8Array, alpha: Uint8Array): Uint8Array {
  const data = new Uint8Array(width * height * 2);
  for (let i = 0; i < width * height; i++) {
    data[i * 2] = grey[i]!;
    data[i * 2 + 1] = alpha[i]!;
  }
  return encodePng({ width, height, data, channels: 2, depth: 8 });
}

/** RGBA PNG (colour type 6) with the given alpha per pixel. */
export function rgbaPng(image: RgbImage, alpha: (pixel: number) => number): Uint8Array {
  const { width, height } = image;
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    data.set(image.data.subarray(p * 3, p * 3 + 3), p * 4);
    data[p * 4 + 3] = alpha(p);
  }
  return encodePng({ width, height, data, channels: 4, depth: 8 });
}

/** 16-bit RGB PNG whose samples are `v * 257` (the exact 16-bit twin of the 8-bit image). */
export function rgb16Png(image: RgbImage): Uint8Array {
  const data = new Uint16Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = image.data[i]! * 257;
  return encodePng({ width: image.width, height: image.height, data, channels: 3, depth: 16 });
}

/** 16-bit grey PNG of `v * 257`. */
export function grey16Png(width: number, height: number, grey: Uint8Array): Uint8Array {
  const data = new Uint16Array(grey.length);
  for (let i = 0; i < data.length; i++) data[i] = grey[i]! * 257;
  return encodePng({ width, height, data, channels: 1, depth: 16 });
}

/** Palette PNG (colour type 3) indexing `palette`; `transparency` adds a tRNS chunk. */
export function palettePng(
  width: number,
  height: number,
  indices: Uint8Array,
  palette: number[][],
  transparency?: number[],
): Uint8Array {
  return encodePng({
    width,
    height,
    data: indices,
    channels: 1,
    depth: 8,
    palette,
    ...(transparency ? { transparency: Uint16Array.from(transparency) } : {}),
  });
}

export function fromRaw(image: RgbImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

export async function toBytes(pipeline: Sharp): Promise<Uint8Array> {
  return new Uint8Array(await pipeline.toBuffer());
}

/**
 * A PNG whose header declares `width` x `height` but that holds only a few bytes of pixel data: the shape of a
 * decompression bomb (a real one would be a few MB of zlib that inflates to gigabytes).
 */
export function pngDeclaring(width: number, height: number): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, adaptive filtering, no interlace
  const idat = deflateSync(new Uint8Array(64 * 1024));
  return concat([
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * An 8-bit PNG of colour type `colourType` (0 grey, 2 RGB, 4 grey+alpha, 6 RGBA) holding `samples` (`width`
 * x `height` pixels, interleaved), every row behind `filter` (0-4), filtered as the PNG specification writes
 * it (the Paeth predictor with its branches): a reference for the decoder's unfiltering.
 */
export function filteredPng(
  width: number,
  height: number,
  colourType: 0 | 2 | 4 | 6,
  samples: Uint8Array,
  filter: 0 | 1 | 2 | 3 | 4,
): Uint8Array {
  const bpp = { 0: 1, 2: 3, 4: 2, 6: 4 }[colourType];
  const rowBytes = width * bpp;
  const at = (x: number, y: number): number => (x < 0 || y < 0 ? 0 : samples[y * rowBytes + x]!);
  const rows = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (rowBytes + 1)] = filter;
    for (let x = 0; x < rowBytes; x++) {
      const a = at(x - bpp, y);
      const b = at(x, y - 1);
      const c = at(x - bpp, y - 1);
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      rows[y * (rowBytes + 1) + 1 + x] = (at(x, y) - predictor) & 255;
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, colourType, 0, 0, 0], 8);
  return concat([
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A 2x2 24-bit BMP (a real image in a format the prebuilt sharp does not read). */
export function bmp2x2(): Uint8Array {
  const rowBytes = 8; // 2 pixels * 3 bytes, padded to 4
  const pixels = 2 * rowBytes;
  const bytes = new Uint8Array(54 + pixels);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, 2, true);
  view.setInt32(22, 2, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, pixels, true);
  bytes.fill(0x7f, 54);
  return bytes;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Largest absolute difference between two equally long byte arrays. */
export function maxDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The RGB value of pixel (x, y). */
export function pixelAt(image: RgbImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * 3;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
}

/** The largest per-channel distance between a pixel and a colour. */
export function colourDistance(pixel: readonly number[], colour: readonly number[]): number {
  return Math.max(...pixel.map((value, c) => Math.abs(value - colour[c]!)));
}
