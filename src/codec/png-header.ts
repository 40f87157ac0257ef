/** What the codec needs from a header before decoding. */
export interface InputHeader {
  /** The decoder's name (sharp's, except HEIF with AV1 = `avif`). */
  readonly format: string;
  readonly width: number;
  readonly height: number;
  /** An alpha channel or transparency chunk is present. */
  readonly hasAlpha: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads a PNG's size and alpha from its IHDR chunk (and any tRNS chunk before the image data) in pure JS: the
 * same facts sharp's `metadata()` gives, without a sharp call (about 0.1 ms, a third of a small PNG's decode).
 * Returns `null` when the bytes are not a well-formed PNG header; the caller then asks sharp.
 */
export function readPngHeader(bytes: Uint8Array): InputHeader | null {
  if (bytes.length < 33 || SIGNATURE.some((byte, i) => bytes[i] !== byte)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || chunkType(bytes, 12) !== 'IHDR') return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const colourType = bytes[25]!;
  if (width === 0 || height === 0 || ![0, 2, 3, 4, 6].includes(colourType)) return null;
  let hasAlpha = colourType === 4 || colourType === 6;
  for (let offset = 33; !hasAlpha && offset + 8 <= bytes.length; ) {
    const type = chunkType(bytes, offset + 4);
    if (type === 'IDAT' || type === 'IEND') break;
    hasAlpha = type === 'tRNS';
    offset += 12 + view.getUint32(offset);
  }
  return { format: 'png', width, height, hasAlpha };
}

function chunkType(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}
