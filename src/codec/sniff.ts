/**
 * Recognises common image containers from their first bytes. Used only to explain failures: sharp decides
 * what it can decode; the sniffer tells "a truncated PNG" or "a BMP, which this build cannot read" apart
 * from "not an image at all".
 */
export const SNIFFED_FORMATS = [
  'jpeg',
  'png',
  'gif',
  'webp',
  'tiff',
  'avif',
  'heic',
  'bmp',
  'ico',
  'psd',
  'jxl',
  'jp2',
] as const;
export type SniffedFormat = (typeof SNIFFED_FORMATS)[number];

/** The container `bytes` start like, or `null` when they look like no image format listed above. */
export function sniffFormat(bytes: Uint8Array): SniffedFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (ascii(bytes, 4, 4) === 'ftyp') return isobmffBrand(ascii(bytes, 8, 4));
  if (isBmp(bytes)) return 'bmp';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 22 && bytes[4] !== 0) return 'ico';
  if (ascii(bytes, 0, 4) === '8BPS') return 'psd';
  if (startsWith(bytes, [0xff, 0x0a]) || (ascii(bytes, 4, 4) === 'JXL ' && bytes[3] === 0x0c)) return 'jxl';
  if (ascii(bytes, 4, 4) === 'jP  ' || startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])) return 'jp2';
  return null;
}

function isobmffBrand(brand: string): SniffedFormat | null {
  if (brand === 'avif' || brand === 'avis') return 'avif';
  if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
  return null;
}

/** "BM" alone is too weak (text may start with it): also require a known DIB header size. */
function isBmp(bytes: Uint8Array): boolean {
  if (ascii(bytes, 0, 2) !== 'BM' || bytes.length < 18) return false;
  const dibHeaderSize = bytes[14]! | (bytes[15]! << 8) | (bytes[16]! << 16) | (bytes[17]! << 24);
  return [12, 16, 40, 52, 56, 64, 108, 124].includes(dibHeaderSize);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}
