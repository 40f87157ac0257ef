import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/augmix/image.js';
import { SMALL_PNG_MAX_PIXELS } from '../../src/codec/index.js';
import { crc32 as pngCrc32 } from '../../src/codec/png-crc.js';
import { deflateWindowBits, encodePngWithZlib } from '../../src/codec/png-encode.js';
import { pattern } from './inputs.js';

/** Deterministic noise (what augmented small images look like to deflate: little to match). */
function noise(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = state >>> 24;
  }
  return { width, height, data };
}

/** Noise in a few levels with runs and repeats (matches near and far). */
function repetitive(width: number, height: number, seed: number): RgbImage {
  const { data } = noise(width, height, seed);
  for (let i = 0; i < data.length; i++) data[i] = i >= 300 && data[i]! < 200 ? data[i - 297]! : data[i]! & 3;
  return { width, height, data };
}

/** Noise whose last 16 pixels repeat its first 16: a match as far back as the image reaches. */
function farRepeat(width: number, height: number, seed: number): RgbImage {
  const { data } = noise(width, height, seed);
  const copied = Math.min(48, data.length >> 1);
  data.copyWithin(data.length - copied, 0, copied);
  return { width, height, data };
}

/**
 * The PNG as the writer is specified: signature, IHDR (8-bit RGB), one IDAT holding zlib's level-6 stream of
 * the rows each behind filter byte 0 with zlib's default window and memory, IEND.
 */
function referencePng({ width, height, data }: RgbImage): Buffer {
  const rows = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++)
    rows.set(data.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  const chunk = (type: string, body: Buffer): Buffer => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const out = Buffer.alloc(body.length + 12);
    out.writeUInt32BE(body.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), body.length + 8);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Heights of 1-pixel-wide images whose rows (4 bytes each) end just inside each window's reach, just past it,
 * and well past it (near the window's size, where a far repeat is out of reach of that window).
 */
const WINDOW_EDGE_HEIGHTS = [9, 10, 11, 12, 13, 14].flatMap((bits) => {
  const last = Math.floor(((1 << bits) - 262) / 4);
  return [last, last + 1, Math.floor(((1 << bits) - 64) / 4)];
});

describe('encodePngWithZlib: the same bytes as the plain level-6 writer', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [3, 5],
    [32, 32],
    [64, 48],
    [SMALL_PNG_MAX_PIXELS / 64, 64],
    ...WINDOW_EDGE_HEIGHTS.map((height): [number, number] => [1, height]),
  ];
  it.each(sizes)('%ix%i: noise, repeats near and far, and a pattern', (width, height) => {
    for (const image of [
      farRepeat(width, height, width + height),

      noise(width, height, width * 7 + height),
      repetitive(width, height, height),
      pattern(width, height),
    ]) {
      expect(Buffer.from(encodePngWithZlib(image)).equals(referencePng(image))).toBe(true);
    }
  });
});

describe('deflateWindowBits', () => {
  it('is the smallest window whose reach (2^bits - 262 bytes) covers the input, 15 at most', () => {
    expect(deflateWindowBits(0)).toBe(9);
    expect(deflateWindowBits(250)).toBe(9);
    expect(deflateWindowBits(251)).toBe(10);
    expect(deflateWindowBits(3104)).toBe(12);
    expect(deflateWindowBits(16_122)).toBe(14);
    expect(deflateWindowBits(16_123)).toBe(15);
    expect(deflateWindowBits(1 << 20)).toBe(15);
  });

  it('gives the deflate data of the default window, and one window smaller would not', () => {
    let differedBelow = 0;
    for (const bits of [10, 11, 12, 13, 14]) {
      const length = (1 << bits) - 262;
      const input = Buffer.from(repetitive(length, 1, bits).data.subarray(0, length));
      const full = deflateSync(input, { level: 6 });
      const small = deflateSync(input, { level: 6, windowBits: deflateWindowBits(length) });
      expect(deflateWindowBits(length)).toBe(bits);
      expect(small.subarray(2).equals(full.subarray(2))).toBe(true);
      const smaller = deflateSync(input, { level: 6, windowBits: bits - 1 });
      if (!smaller.subarray(2).equals(full.subarray(2))) differedBelow += 1;
    }
    // the reach matters: with a window too small, the far matches are lost
    expect(differedBelow).toBeGreaterThan(0);
  });
});

describe('png-crc', () => {
  it('is the CRC-32 of the byte range (check value of "123456789": 0xcbf43926)', () => {
    const bytes = new TextEncoder().encode('xx123456789yy');
    expect(pngCrc32(bytes, 2, 11)).toBe(0xcbf43926);
    expect(pngCrc32(bytes, 0, 0)).toBe(0);
  });
});
