import type { InputHeader } from './png-header.js';

/** Markers that stand alone (no length field): TEM, RST0-7, SOI, EOI. */
function standalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
}

/** Start-of-frame markers (every coding process), which hold the frame's size: C0-CF but DHT, JPG, DAC. */
function startOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

const START_OF_SCAN = 0xda;

/**
 * Reads a JPEG's size from its frame header in pure JS: the facts sharp's `metadata()` gives for a JPEG
 * (format, stored width and height, no alpha), without a sharp call (0.3-0.5 ms, a third of a 224 px JPEG's
 * decode). It walks the marker segments from SOI to the first SOS and answers only for a well-formed header:
 * one frame header, 8- or 12-bit samples, 1, 3 or 4 components, a non-zero size, and a scan after it. Anything
 * else (damage, bytes between segments, a height given later by DNL) returns `null` and the caller asks sharp,
 * so a bad header is reported exactly as before.
 */
export function readJpegHeader(bytes: Uint8Array): InputHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let frame: { width: number; height: number } | null = null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    let marker = bytes[at + 1]!;
    // fill bytes: any number of 0xff before a marker
    while (marker === 0xff && at + 2 < bytes.length) marker = bytes[++at + 1]!;
    if (marker === START_OF_SCAN) {
      return frame === null ? null : { format: 'jpeg', ...frame, hasAlpha: false };
    }
    if (standalone(marker) || marker === 0xff || marker === 0x00) return null;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < 2 || at + 2 + length > bytes.length) return null;
    if (startOfFrame(marker)) {
      if (frame !== null || length < 8) return null;
      const precision = bytes[at + 4]!;
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!;
      const components = bytes[at + 9]!;
      const goodPrecision = precision === 8 || precision === 12;
      if (!goodPrecision || width === 0 || height === 0 || ![1, 3, 4].includes(components)) return null;
      if (length !== 8 + 3 * components) return null;
      frame = { width, height };
    }
    at += 2 + length;
  }
  return null;
}
