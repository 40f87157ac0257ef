import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/augmix/image.js';
import { useSimdKernels } from '../../src/augmix/ops/simd/kernels.js';
import { encode, SMALL_JPEG_MAX_PIXELS } from '../../src/codec/index.js';
import { encodeBaselineJpeg } from '../../src/codec/jpeg-encode.js';
import { forwardDct } from '../../src/codec/jpeg-fdct.js';
import {
  AC_CHROMA,
  AC_LUMA,
  DC_CHROMA,
  DC_LUMA,
  huffmanCodes,
  quantTable,
} from '../../src/codec/jpeg-tables.js';
import { random, uniformNoise } from '../helpers/noise-image.js';

afterEach(() => useSimdKernels(true));

/** What sharp writes for the same settings: the bytes the writer must reproduce. */
async function sharpJpeg({ width, height, data }: RgbImage, quality: number): Promise<Uint8Array> {
  const bytes = await sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality, optimiseCoding: false, chromaSubsampling: '4:2:0' })
    .toBuffer();
  return new Uint8Array(bytes);
}

/** Gradients with a little noise, as photographs are: long zero runs and small coefficients. */
function smooth(width: number, height: number, seed: number): RgbImage {
  const next = random(seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        data[(y * width + x) * 3 + c] = (x * (c + 1) + y * (3 - c) + Math.floor(next() * 8)) & 255;
      }
    }
  }
  return { width, height, data };
}

/** Where two byte arrays first differ (-1 when equal), for a readable failure. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

// sizes that hit every edge: one pixel, whole and partial blocks and MCUs, odd widths and heights, luma
// blocks past the right and the bottom edge, chroma rows repeated
const SIZES = [
  [1, 1],
  [8, 8],
  [16, 16],
  [17, 9],
  [20, 20],
  [7, 31],
  [33, 47],
  [100, 3],
  [3, 100],
  [224, 224],
  [225, 223],
] as const;

describe('the baseline JPEG writer', () => {
  describe.each([
    ['WebAssembly kernels', true],
    ['TypeScript', false],
  ])('(%s) writes byte for byte what sharp writes', (_, kernels) => {
    it.each(SIZES)('%i x %i at qualities 1..100, noise and gradients', async (width, height) => {
      useSimdKernels(kernels);
      for (const quality of [1, 10, 50, 75, 90, 100]) {
        for (const image of [
          uniformNoise(width, height, random(width * 7919 + height + quality)),
          smooth(width, height, quality),
        ]) {
          const expected = await sharpJpeg(image, quality);
          const ours = encodeBaselineJpeg(image, quality);
          expect({ quality, at: firstDifference(ours, expected) }).toEqual({ quality, at: -1 });
        }
      }
    });
  });

  it('encode() writes JPEGs up to the threshold with it, and larger ones with sharp, with the same bytes', async () => {
    for (const [width, height] of [
      [SMALL_JPEG_MAX_PIXELS / 256, 256],
      [SMALL_JPEG_MAX_PIXELS / 256 + 1, 256],
    ] as const) {
      const image = smooth(width, height, 5);
      const bytes = await encode(image, 'jpeg', { quality: 85 });
      expect(firstDifference(bytes, await sharpJpeg(image, 85))).toBe(-1);
    }
  });

  it('refuses a quality outside 1..100 and a side over 65,535 pixels, naming them', () => {
    const image = smooth(8, 8, 1);
    expect(() => encodeBaselineJpeg(image, 0)).toThrow(/quality.*1\.\.100.*0/);
    expect(() => encodeBaselineJpeg(image, 90.5)).toThrow(/quality/);
    const wide = { width: 65_536, height: 1, data: new Uint8Array(65_536 * 3) };
    expect(() => encodeBaselineJpeg(wide, 90)).toThrow(/65535 pixels a side/);
  });
});

describe('its parts', () => {
  it('the DCT of a flat block is its DC alone, scaled by 8 on top of the 8x8 sum', () => {
    const block = new Int32Array(64).fill(-37);
    forwardDct(block);
    expect(block[0]).toBe(-37 * 64);
    expect(block.subarray(1).every((value) => value === 0)).toBe(true);
  });

  it('quality 50 keeps the example tables; 100 makes every entry 1; quality 1 clamps them to 255', () => {
    expect(quantTable(50, false).subarray(0, 8)).toEqual(Uint8Array.of(16, 11, 10, 16, 24, 40, 51, 61));
    expect(quantTable(50, true)[63]).toBe(99);
    expect(quantTable(100, false).every((value) => value === 1)).toBe(true);
    expect(quantTable(1, true).every((value) => value === 255)).toBe(true);
  });

  it.each([
    ['DC luminance', DC_LUMA],
    ['AC luminance', AC_LUMA],
    ['DC chrominance', DC_CHROMA],
    ['AC chrominance', AC_CHROMA],
  ])('the %s code is prefix-free and gives every symbol a code', (_, spec) => {
    const codes = huffmanCodes(spec);
    const used = [...spec.symbols].map((symbol) => ({
      length: codes[symbol]! >>> 16,
      code: codes[symbol]! & 0xffff,
    }));
    expect(used.every(({ length }) => length >= 1 && length <= 16)).toBe(true);
    for (const a of used) {
      for (const b of used) {
        if (a === b || a.length > b.length) continue;
        expect(b.code >>> (b.length - a.length)).not.toBe(a.code);
      }
    }
  });
});
