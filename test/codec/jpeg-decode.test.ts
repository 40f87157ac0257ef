import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/augmix/image.js';
import { useSimdKernels } from '../../src/augmix/ops/simd/kernels.js';
import { decode } from '../../src/codec/index.js';
import { InputError } from '../../src/codec/input-error.js';
import { decodePlainJpeg } from '../../src/codec/jpeg-decode.js';
import { random, uniformNoise } from '../helpers/noise-image.js';

afterEach(() => useSimdKernels(true));

type JpegOptions = NonNullable<Parameters<ReturnType<typeof sharp>['jpeg']>[0]>;

async function jpegOf({ width, height, data }: RgbImage, options: JpegOptions): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp(data, { raw: { width, height, channels: 3 } })
      .jpeg(options)
      .toBuffer(),
  );
}

/** The pixels sharp decodes, the reference. */
async function sharpPixels(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await sharp(bytes).raw().toBuffer());
}

/** Gradients with a little noise, as photographs are. */
function smooth(width: number, height: number, seed: number): RgbImage {
  const next = random(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    const x = Math.floor(i / 3) % width;
    const y = Math.floor(i / 3 / width);
    data[i] = (x * ((i % 3) + 1) + y * 2 + Math.floor(next() * 8)) & 255;
  }
  return { width, height, data };
}

/** How many values differ (0 when the decodes are identical). */
function differing(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) count++;
  return count;
}

// every edge: one MCU and less, odd sizes, chroma rows and columns repeated at the bottom and the right
const SIZES = [
  [5, 5],
  [8, 8],
  [16, 16],
  [17, 9],
  [7, 31],
  [33, 47],
  [100, 3],
  [224, 224],
  [225, 223],
] as const;

describe('the plain-JPEG reader', () => {
  describe.each([
    ['WebAssembly kernels', true],
    ['TypeScript', false],
  ])('(%s) decodes the pixels sharp decodes', (_, kernels) => {
    it.each(SIZES)(
      '%i x %i, 4:2:0 and 4:4:4, qualities 10..100, noise and gradients',
      async (width, height) => {
        useSimdKernels(kernels);
        for (const chromaSubsampling of ['4:2:0', '4:4:4']) {
          for (const quality of [10, 50, 90, 100]) {
            for (const image of [
              uniformNoise(width, height, random(width + height * 31 + quality)),
              smooth(width, height, quality),
            ]) {
              const bytes = await jpegOf(image, { quality, chromaSubsampling });
              const ours = decodePlainJpeg(bytes);
              expect(ours).not.toBeNull();
              expect([ours!.width, ours!.height]).toEqual([width, height]);
              expect({
                chromaSubsampling,
                quality,
                differing: differing(ours!.data, await sharpPixels(bytes)),
              }).toEqual({
                chromaSubsampling,
                quality,
                differing: 0,
              });
            }
          }
        }
      },
    );

    it('a camera photo (optimised Huffman tables)', async () => {
      useSimdKernels(kernels);
      const bytes = await sharp(readFileSync(new URL('../../samples/street.jpg', import.meta.url)))
        .resize(300, 200)
        .jpeg({ quality: 85, optimiseCoding: true })
        .toBuffer();
      const ours = decodePlainJpeg(new Uint8Array(bytes));
      expect(differing(ours!.data, await sharpPixels(new Uint8Array(bytes)))).toBe(0);
    });
  });

  it('leaves progressive and one-component (grey) JPEGs to sharp (null)', async () => {
    const image = smooth(40, 30, 1);
    const raw = { raw: { width: 40, height: 30, channels: 3 } } as const;
    const progressive = await sharp(image.data, raw).jpeg({ progressive: true }).toBuffer();
    const grey = await sharp(image.data, raw).toColourspace('b-w').jpeg().toBuffer();
    expect(decodePlainJpeg(new Uint8Array(progressive))).toBeNull();
    expect(decodePlainJpeg(new Uint8Array(grey))).toBeNull();
    expect((await sharp(grey).metadata()).channels).toBe(1);
  });

  it('leaves JPEGs with EXIF (orientation) or an ICC profile to sharp', async () => {
    const image = smooth(40, 30, 2);
    const raw = { raw: { width: 40, height: 30, channels: 3 } } as const;
    const withExif = await sharp(image.data, raw).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const withIcc = await sharp(image.data, raw).withIccProfile('p3').jpeg().toBuffer();
    expect(decodePlainJpeg(new Uint8Array(withExif))).toBeNull();
    expect(decodePlainJpeg(new Uint8Array(withIcc))).toBeNull();
  });

  it('leaves 4:2:0 images 4 pixels wide or less to sharp (their chroma is upsampled by repetition)', async () => {
    const bytes = await jpegOf(smooth(4, 20, 3), { quality: 90, chromaSubsampling: '4:2:0' });
    expect(decodePlainJpeg(bytes)).toBeNull();
    const wider = await jpegOf(smooth(5, 20, 3), { quality: 90, chromaSubsampling: '4:2:0' });
    expect(decodePlainJpeg(wider)).not.toBeNull();
  });

  it('refuses data that ends early, bytes between the scan and EOI, and a missing EOI', async () => {
    const bytes = await jpegOf(smooth(64, 64, 4), { quality: 90 });
    const truncated = bytes.subarray(0, bytes.length - 40);
    expect(decodePlainJpeg(truncated)).toBeNull();
    const extra = Uint8Array.from([...bytes.subarray(0, bytes.length - 2), 0x12, 0x34, 0xff, 0xd9]);
    expect(decodePlainJpeg(extra)).toBeNull();
    const noEoi = bytes.subarray(0, bytes.length - 2);
    // the whole file first: the kernels' memory then holds its EOI just past the end of the file without one
    expect(decodePlainJpeg(bytes)).not.toBeNull();
    expect(decodePlainJpeg(noEoi)).toBeNull();
  });

  it('on damaged files (random bytes changed) returns null or the pixels sharp decodes, on both paths', async () => {
    const original = await jpegOf(smooth(160, 120, 8), { quality: 50 });
    const next = random(2024);
    let decoded = 0;
    for (let trial = 0; trial < 300; trial++) {
      const bytes = original.slice();
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        bytes[20 + Math.floor(next() * (bytes.length - 22))] = Math.floor(next() * 256);
      }
      useSimdKernels(true);
      const ours = decodePlainJpeg(bytes);
      useSimdKernels(false);
      const twin = decodePlainJpeg(bytes);
      expect(twin === null ? null : differing(twin.data, ours!.data)).toBe(ours === null ? null : 0);
      if (ours === null) continue;
      decoded++;
      const reference = await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer();
      expect({ trial, differing: differing(ours.data, new Uint8Array(reference)) }).toEqual({
        trial,
        differing: 0,
      });
    }
    // most damage lands in the scan, where changed bits still decode: the comparison has material
    expect(decoded).toBeGreaterThan(30);
  });

  it('refuses a DC table with a symbol above 15, as libjpeg-turbo does, even when the data never uses it', async () => {
    const bytes = await jpegOf(smooth(32, 32, 9), { quality: 90 });
    // the first DHT segment (DC table 0): its last symbol becomes 200
    let at = 2;
    while (bytes[at + 1] !== 0xc4) at += 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
    expect(bytes[at + 4]).toBe(0x00);
    const lastSymbol = at + 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!) - 1;
    expect(bytes[lastSymbol]).toBeLessThanOrEqual(15);
    bytes[lastSymbol] = 200;
    expect(decodePlainJpeg(bytes)).toBeNull();
    await expect(sharp(bytes).raw().toBuffer()).rejects.toThrow(/Huffman table/);
  });

  it('decode() still reports a truncated small JPEG as truncated (sharp reads what the reader refuses)', async () => {
    const bytes = await jpegOf(smooth(64, 64, 5), { quality: 90 });
    const error = await decode(bytes.subarray(0, bytes.length - 200), { input: 'cut.jpg' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('truncated');
  });

  it('decode() gives the same pixels as sharp for small JPEGs', async () => {
    const bytes = await jpegOf(smooth(96, 80, 6), { quality: 75 });
    const { image } = await decode(bytes);
    expect(differing(image.data, await sharpPixels(bytes))).toBe(0);
  });
});
