import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_TYPES,
  configureSharp,
  DEFAULT_QUALITY,
  decode,
  encode,
  formatFromPath,
  SMALL_PNG_MAX_PIXELS,
  sameFormatAs,
  sniffFormat,
} from '../../src/codec/index.js';
import { gradient, maxDiff, pattern } from './inputs.js';

/** Decodes with sharp directly (raw RGB), independent of our decode. */
async function sharpPixels(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await sharp(bytes).removeAlpha().raw().toBuffer());
}

describe('encode: PNG is lossless on both paths', () => {
  it.each([
    ['JS writer (tiny 1x1)', 1, 1],
    ['JS writer (32x32)', 32, 32],
    ['JS writer (at the threshold)', SMALL_PNG_MAX_PIXELS / 64, 64],
    ['sharp (one pixel over the threshold)', SMALL_PNG_MAX_PIXELS + 1, 1],
    ['sharp (224x160)', 224, 160],
  ])('%s decodes through sharp to the same pixels', async (_, width, height) => {
    const image = pattern(width, height);
    const bytes = await encode(image, 'png');
    expect(sniffFormat(bytes)).toBe('png');
    const metadata = await sharp(bytes).metadata();
    expect([metadata.width, metadata.height, metadata.channels, metadata.depth]).toEqual([
      width,
      height,
      3,
      'uchar',
    ]);
    expect(metadata.hasProfile).toBe(false);
    expect(maxDiff(await sharpPixels(bytes), image.data)).toBe(0);
    expect(maxDiff((await decode(bytes)).image.data, image.data)).toBe(0);
  });

  it('picks the JS writer for small images and sharp above the threshold (different encoders, different bytes)', async () => {
    // the two writers lay out their files differently (same pixels): telling them apart by the bytes shows which
    // path ran.
    const small = pattern(16, 16);
    const viaEncode = await encode(small, 'png');
    const viaSharp = new Uint8Array(
      await sharp(small.data, { raw: { width: 16, height: 16, channels: 3 } })
        .png()
        .toBuffer(),
    );
    expect(Buffer.from(viaEncode).equals(Buffer.from(viaSharp))).toBe(false);
    expect(maxDiff(await sharpPixels(viaEncode), await sharpPixels(viaSharp))).toBe(0);
  });
});

describe('encode: lossy formats', () => {
  it.each(['jpeg', 'webp', 'avif'] as const)(
    '%s round-trips close to the source and is sniffed as such',
    async (format) => {
      const image = gradient(96, 64);
      const bytes = await encode(image, format);
      expect(sniffFormat(bytes)).toBe(format);
      const decoded = await decode(bytes);
      expect(decoded.format).toBe(format);
      expect([decoded.image.width, decoded.image.height]).toEqual([96, 64]);
      let sum = 0;
      for (let i = 0; i < image.data.length; i++) sum += Math.abs(decoded.image.data[i]! - image.data[i]!);
      expect(sum / image.data.length).toBeLessThan(3);
    },
  );

  it('uses the documented default qualities', async () => {
    const image = pattern(64, 64);
    for (const format of ['jpeg', 'webp', 'avif'] as const) {
      const byDefault = await encode(image, format);
      const explicit = await encode(image, format, { quality: DEFAULT_QUALITY[format] });
      expect(Buffer.from(byDefault).equals(Buffer.from(explicit)), format).toBe(true);
    }
  });

  it('writes smaller files at lower quality', async () => {
    const image = pattern(128, 128);
    const low = await encode(image, 'jpeg', { quality: 20 });
    const high = await encode(image, 'jpeg', { quality: 98 });
    expect(low.length).toBeLessThan(high.length);
  });

  it('writes baseline JPEG without metadata', async () => {
    const metadata = await sharp(await encode(pattern(32, 32), 'jpeg')).metadata();
    expect(metadata.isProgressive).toBe(false);
    expect(metadata.exif).toBeUndefined();
    expect(metadata.hasProfile).toBe(false);
    expect(metadata.chromaSubsampling).toBe('4:2:0');
  });
});

describe('encode: arguments', () => {
  it('rejects a bad quality, format or image with errors naming them', async () => {
    const image = pattern(4, 4);
    await expect(encode(image, 'jpeg', { quality: 0 })).rejects.toThrow(/quality/);
    await expect(encode(image, 'jpeg', { quality: 50.5 })).rejects.toThrow(/quality/);
    // @ts-expect-error: not an output format
    await expect(encode(image, 'gif')).rejects.toThrow(/format/);
    await expect(encode({ width: 4, height: 4, data: new Uint8Array(10) }, 'png')).rejects.toThrow(
      /data\.length/,
    );
  });
});

describe('formats', () => {
  it('maps `same` to the input format when we write it, else PNG', () => {
    expect(sameFormatAs('jpeg')).toBe('jpeg');
    expect(sameFormatAs('webp')).toBe('webp');
    expect(sameFormatAs('avif')).toBe('avif');
    expect(sameFormatAs('gif')).toBe('png');
    expect(sameFormatAs('tiff')).toBe('png');
    expect(sameFormatAs('heif')).toBe('png');
  });

  it('reads the output format from a file name', () => {
    expect(formatFromPath('out/a.PNG')).toBe('png');
    expect(formatFromPath('b.jpg')).toBe('jpeg');
    expect(formatFromPath('b.jpeg')).toBe('jpeg');
    expect(formatFromPath('c.webp')).toBe('webp');
    expect(formatFromPath('d.avif')).toBe('avif');
    expect(() => formatFromPath('e.gif')).toThrow(/extension.*"e\.gif"/);
    expect(() => formatFromPath('noext')).toThrow(/extension/);
  });

  it('has a content type per format', () => {
    expect(CONTENT_TYPES).toEqual({
      jpeg: 'image/jpeg',
      png: 'image/png',
      webp: 'image/webp',
      avif: 'image/avif',
    });
  });
});

describe('configureSharp', () => {
  it('sets the concurrency and validates it', () => {
    const before = sharp.concurrency();
    try {
      expect(configureSharp({ concurrency: 1 })).toBe(1);
      expect(sharp.concurrency()).toBe(1);
      expect(sharp.cache().memory.max).toBe(0);
      expect(() => configureSharp({ concurrency: 0 })).toThrow(/concurrency/);
    } finally {
      sharp.concurrency(before);
    }
  });
});
