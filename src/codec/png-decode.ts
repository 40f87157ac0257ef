import { CHANNELS, type RgbImage } from '../augmix/image.js';
import { crc32 } from './png-crc.js';
import { inflateExact } from './png-inflate.js';
import { paethPredictor } from './png-paeth.js';

/**
 * PNGs of at most this many pixels may be decoded in JS ({@link decodePlainPng}) instead of by sharp: a sharp
 * call costs about 0.4 ms however small the image, the JS decode of a 32x32 PNG about 0.03 ms.
 */
export const JS_PNG_MAX_PIXELS = 8192;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Chunks that cannot change the decoded 8-bit sRGB pixels as the codec defines them (text, physical size,
 * time). Any other ancillary chunk (iCCP, gAMA, cHRM, sRGB, eXIf, sBIT, bKGD, ...) sends the file to sharp.
 */
const IGNORED_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'pHYs', 'tIME']);

/** Channels per pixel of each 8-bit colour type: grey, RGB, palette, grey+alpha, RGBA. */
const SAMPLES: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes the plain kind of PNG that small datasets hold, exactly as `decode` does through sharp: 8-bit grey,
 * RGB, palette, grey+alpha or RGBA, not interlaced, to 8-bit RGB (grey repeated on three channels, palette
 * entries looked up, alpha dropped without compositing). Returns `null` for anything else, so that sharp
 * decides: other bit depths, interlacing, a colour profile or gamma, EXIF, an unknown chunk, a bad CRC, a
 * stream that does not inflate to exactly the image's rows, a missing IEND, a palette index out of range.
 */
export function decodePlainPng(bytes: Uint8Array): RgbImage | null {
  if (bytes.length < 45 || SIGNATURE.some((byte, i) => bytes[i] !== byte)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let colourType = -1;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > bytes.length) return null;
    const type = chunkType(bytes, offset + 4);
    if (crc32(bytes, offset + 4, offset + 8 + length) !== view.getUint32(offset + 8 + length)) return null;
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (offset === 8) {
      if (type !== 'IHDR' || length !== 13) return null;
      width = view.getUint32(16);
      height = view.getUint32(20);
      colourType = bytes[25]!;
      const plain = bytes[24] === 8 && bytes[26] === 0 && bytes[27] === 0 && bytes[28] === 0;
      if (!plain || SAMPLES[colourType] === undefined || width === 0 || height === 0) return null;
      if (width * height > JS_PNG_MAX_PIXELS) return null;
    } else if (type === 'PLTE') {
      if (length % 3 !== 0 || idat.length > 0) return null;
      palette = body;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      ended = true;
      break;
    } else if (type !== 'tRNS' && !IGNORED_CHUNKS.has(type)) {
      return null;
    } else if (type !== 'tRNS' && type !== 'pHYs' && type !== 'tIME' && isRawProfile(body)) {
      return null; // an EXIF or ICC profile stored as text ("Raw profile type exif"): sharp decides
    }
    offset = end;
  }
  if (!ended || idat.length === 0 || (colourType === 3 && palette === null)) return null;
  const samples = SAMPLES[colourType]!;
  const rowBytes = width * samples;
  const raw = inflateExact(idat.length === 1 ? idat[0]! : Buffer.concat(idat), height * (rowBytes + 1));
  if (raw === null) return null;
  const pixels = unfilter(raw, width, height, samples);
  if (pixels === null) return null;
  return toRgb(pixels, width, height, colourType, palette);
}

/** Undoes the per-row filters in place; returns the rows without their filter bytes, or null on a bad filter. */
function unfilter(raw: Uint8Array, width: number, height: number, bpp: number): Uint8Array | null {
  const rowBytes = width * bpp;
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)]!;
    const src = y * (rowBytes + 1) + 1;
    const row = y * rowBytes;
    const prev = row - rowBytes;
    switch (filter) {
      case 0:
        out.set(raw.subarray(src, src + rowBytes), row);
        break;
      case 1:
        for (let i = 0; i < rowBytes; i++) {
          out[row + i] = raw[src + i]! + (i >= bpp ? out[row + i - bpp]! : 0);
        }
        break;
      case 2:
        for (let i = 0; i < rowBytes; i++) out[row + i] = raw[src + i]! + (y > 0 ? out[prev + i]! : 0);
        break;
      case 3:
        for (let i = 0; i < rowBytes; i++) {
          const left = i >= bpp ? out[row + i - bpp]! : 0;
          const up = y > 0 ? out[prev + i]! : 0;
          out[row + i] = raw[src + i]! + ((left + up) >> 1);
        }
        break;
      case 4:
        paethRow(raw, src, out, row, rowBytes, bpp, y > 0);
        break;
      default:
        return null;
    }
  }
  return out;
}

/**
 * Undoes the Paeth filter on one row: each byte plus its {@link paethPredictor}, the first pixel of a row (no
 * left neighbour: the byte above) and the first row (no row above: the left byte) apart from the rest.
 */
function paethRow(
  raw: Uint8Array,
  src: number,
  out: Uint8Array,
  row: number,
  rowBytes: number,
  bpp: number,
  hasUp: boolean,
): void {
  if (!hasUp) {
    for (let i = 0; i < bpp; i++) out[row + i] = raw[src + i]!;
    for (let i = bpp; i < rowBytes; i++) out[row + i] = raw[src + i]! + out[row + i - bpp]!;
    return;
  }
  const prev = row - rowBytes;
  for (let i = 0; i < bpp; i++) out[row + i] = raw[src + i]! + out[prev + i]!;
  for (let i = bpp; i < rowBytes; i++) {
    out[row + i] = raw[src + i]! + paethPredictor(out[row + i - bpp]!, out[prev + i]!, out[prev + i - bpp]!);
  }
}

/** Unfiltered samples of any plain colour type → 8-bit RGB; null when a palette index has no entry. */
function toRgb(
  pixels: Uint8Array,
  width: number,
  height: number,
  colourType: number,
  palette: Uint8Array | null,
): RgbImage | null {
  const count = width * height;
  if (colourType === 2) return { width, height, data: pixels };
  const data = new Uint8Array(count * CHANNELS);
  switch (colourType) {
    case 0:
    case 4: {
      const step = colourType === 0 ? 1 : 2;
      for (let p = 0, s = 0, o = 0; p < count; p++, s += step, o += 3) {
        const grey = pixels[s]!;
        data[o] = grey;
        data[o + 1] = grey;
        data[o + 2] = grey;
      }
      break;
    }
    case 3: {
      const entries = (palette as Uint8Array).length / 3;
      for (let p = 0, o = 0; p < count; p++, o += 3) {
        const index = pixels[p]!;
        if (index >= entries) return null;
        data[o] = palette![index * 3]!;
        data[o + 1] = palette![index * 3 + 1]!;
        data[o + 2] = palette![index * 3 + 2]!;
      }
      break;
    }
    case 6:
      for (let p = 0, s = 0, o = 0; p < count; p++, s += 4, o += 3) {
        data[o] = pixels[s]!;
        data[o + 1] = pixels[s + 1]!;
        data[o + 2] = pixels[s + 2]!;
      }
      break;
  }
  return { width, height, data };
}

const RAW_PROFILE = 'Raw profile type';

/** Whether a text chunk's keyword names a profile in ImageMagick's text form (EXIF, ICC, XMP, ...). */
function isRawProfile(body: Uint8Array): boolean {
  if (body.length < RAW_PROFILE.length) return false;
  for (let i = 0; i < RAW_PROFILE.length; i++) if (body[i] !== RAW_PROFILE.charCodeAt(i)) return false;
  return true;
}

function chunkType(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}
