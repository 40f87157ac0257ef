import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode as decodePngJs } from 'fast-png';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/codec/index.js';
import { InputError } from '../../src/codec/input-error.js';
import {
  blocks,
  bmp2x2,
  colourDistance,
  fromRaw,
  grey16Png,
  greyAlphaPng,
  greyPng,
  maxDiff,
  palettePng,
  pattern,
  pixelAt,
  pngDeclaring,
  rgb16Png,
  rgbaPng,
  rgbPng,
  toBytes,
} from './inputs.js';

async function decodeError(bytes: Uint8Array, options = {}): Promise<InputError> {
  const error = await decode(bytes, { input: 'in/photo.jpg', ...options }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RED = [220, 30, 40];
const GREEN = [30, 200, 60];
const BLUE = [20, 40, 230];

describe('decode: colour layouts', () => {
  it('returns the exact pixels of an 8-bit RGB PNG, with its format and decode settings', async () => {
    const source = pattern(13, 7);
    const decoded = await decode(rgbPng(source));
    expect(decoded.image.width).toBe(13);
    expect(decoded.image.height).toBe(7);
    expect(decoded.image.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(decoded.image.data).equals(Buffer.from(source.data))).toBe(true);
    expect(decoded.format).toBe('png');
    expect(decoded.decode).toEqual({ orientation: 'auto', size: null, colour: 'srgb', width: 13, height: 7 });
  });

  it('replicates grey to three channels (8-bit and 16-bit grey)', async () => {
    const grey = Uint8Array.from({ length: 35 }, (_, i) => (i * 29) % 256);
    for (const bytes of [greyPng(7, 5, grey), grey16Png(7, 5, grey)]) {
      const { image } = await decode(bytes);
      const expected = Uint8Array.from({ length: 105 }, (_, i) => grey[Math.floor(i / 3)]!);
      expect(Buffer.from(image.data).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('expands a palette PNG to its colours', async () => {
    const palette = [RED, GREEN, BLUE, [0, 0, 0]];
    const indices = Uint8Array.from({ length: 12 }, (_, i) => i % 4);
    const { image } = await decode(palettePng(4, 3, indices, palette));
    for (let p = 0; p < 12; p++) expect(pixelAt(image, p % 4, Math.floor(p / 4))).toEqual(palette[p % 4]);
  });

  it('drops palette transparency without compositing', async () => {
    const palette = [RED, GREEN];
    const indices = Uint8Array.from([0, 1, 1, 0]);
    const { image } = await decode(palettePng(2, 2, indices, palette, [0, 128]));
    expect(pixelAt(image, 0, 0)).toEqual(RED);
    expect(pixelAt(image, 1, 0)).toEqual(GREEN);
  });

  it('drops alpha without compositing: colours under alpha 0 and 128 are kept as stored', async () => {
    const source = pattern(9, 6);
    const { image } = await decode(rgbaPng(source, (p) => [0, 128, 255][p % 3]!));
    expect(Buffer.from(image.data).equals(Buffer.from(source.data))).toBe(true);
  });

  it('drops grey+alpha to grey RGB', async () => {
    const grey = Uint8Array.from({ length: 6 }, (_, i) => 40 * i);
    const { image } = await decode(greyAlphaPng(3, 2, grey, new Uint8Array(6)));
    expect(pixelAt(image, 2, 1)).toEqual([200, 200, 200]);
  });

  it('decodes a 16-bit PNG to exactly the pixels of its 8-bit twin', async () => {
    const source = pattern(17, 11);
    const eight = await decode(rgbPng(source));
    const sixteen = await decode(rgb16Png(source));
    expect(Buffer.from(sixteen.image.data).equals(Buffer.from(eight.image.data))).toBe(true);
  });

  it('converts a CMYK JPEG to sRGB (white stays white, black black, hues kept)', async () => {
    const white = [255, 255, 255];
    const black = [0, 0, 0];
    const source = blocks(64, 16, [white, black, RED, BLUE]);
    const cmyk = await toBytes(fromRaw(source).toColourspace('cmyk').jpeg({ quality: 100 }));
    const metadata = await sharp(cmyk).metadata();
    expect([metadata.space, metadata.channels]).toEqual(['cmyk', 4]);
    const { image, format } = await decode(cmyk);
    expect(format).toBe('jpeg');
    const [w, k, r, b] = [8, 24, 40, 56].map((x) => pixelAt(image, x, 8));
    for (const value of w!) expect(value).toBeGreaterThanOrEqual(235);
    for (const value of k!) expect(value).toBeLessThanOrEqual(45);
    expect(r![0]! - Math.max(r![1]!, r![2]!)).toBeGreaterThan(60);
    expect(b![2]! - Math.max(b![0]!, b![1]!)).toBeGreaterThan(60);
  });

  it('converts an ICC-tagged (Display P3) PNG to sRGB', async () => {
    const source = pattern(32, 16);
    const p3 = await toBytes(fromRaw(source).withIccProfile('p3').png());
    const stored = decodePngJs(p3);
    expect(stored.iccEmbeddedProfile).toBeDefined();
    expect(maxDiff(Uint8Array.from(stored.data), source.data)).toBeGreaterThan(30);
    const { image } = await decode(p3);
    expect(maxDiff(image.data, source.data)).toBeLessThanOrEqual(8);
  });

  it('decodes a progressive JPEG like its baseline twin', async () => {
    const source = blocks(64, 32, [RED, GREEN, BLUE]);
    const progressive = await toBytes(fromRaw(source).jpeg({ quality: 95, progressive: true }));
    expect((await sharp(progressive).metadata()).isProgressive).toBe(true);
    const baseline = await toBytes(fromRaw(source).jpeg({ quality: 95 }));
    const a = await decode(progressive);
    const b = await decode(baseline);
    expect(maxDiff(a.image.data, b.image.data)).toBeLessThanOrEqual(2);
    for (const [x, colour] of [
      [10, RED],
      [32, GREEN],
      [54, BLUE],
    ] as const) {
      expect(colourDistance(pixelAt(a.image, x, 16), colour)).toBeLessThanOrEqual(6);
    }
  });

  it('reads WebP, AVIF, TIFF and the first frame of an animated GIF', async () => {
    const source = pattern(24, 16);
    const webp = await decode(await toBytes(fromRaw(source).webp({ lossless: true })));
    expect(webp.format).toBe('webp');
    expect(maxDiff(webp.image.data, source.data)).toBe(0);
    const tiff = await decode(await toBytes(fromRaw(source).tiff({ compression: 'lzw' })));
    expect(tiff.format).toBe('tiff');
    expect(maxDiff(tiff.image.data, source.data)).toBe(0);
    const avif = await decode(await toBytes(fromRaw(source).avif({ lossless: true })));
    expect(avif.format).toBe('avif');
    expect(avif.image.width).toBe(24);

    const frames = blocks(8, 12, [RED]);
    frames.data.fill(0, 8 * 6 * 3);
    for (let p = 48; p < 96; p++) frames.data.set(BLUE, p * 3);
    const gifBytes = await toBytes(
      sharp(frames.data, { raw: { width: 8, height: 12, channels: 3, pageHeight: 6 } }).gif(),
    );
    expect((await sharp(gifBytes).metadata()).pages).toBe(2);
    const gif = await decode(gifBytes);
    expect(gif.format).toBe('gif');
    expect([gif.image.width, gif.image.height]).toEqual([8, 6]);
    expect(colourDistance(pixelAt(gif.image, 3, 3), RED)).toBeLessThanOrEqual(8);
  });
});

describe('decode: orientation and size', () => {
  async function rotatedJpeg(): Promise<Uint8Array> {
    // Stored 40x20: left half red, right half blue; EXIF orientation 6 = rotate 90° clockwise to display.
    return toBytes(
      fromRaw(blocks(40, 20, [RED, BLUE]))
        .jpeg({ quality: 95 })
        .withMetadata({ orientation: 6 }),
    );
  }

  it('applies the EXIF orientation by default', async () => {
    const { image, decode: settings } = await decode(await rotatedJpeg());
    expect([image.width, image.height]).toEqual([20, 40]);
    expect(settings.orientation).toBe('auto');
    expect(colourDistance(pixelAt(image, 10, 5), RED)).toBeLessThanOrEqual(12);
    expect(colourDistance(pixelAt(image, 10, 35), BLUE)).toBeLessThanOrEqual(12);
  });

  it('keeps the stored pixel order with orientation raw', async () => {
    const { image, decode: settings } = await decode(await rotatedJpeg(), { orientation: 'raw' });
    expect([image.width, image.height]).toEqual([40, 20]);
    expect(settings.orientation).toBe('raw');
    expect(colourDistance(pixelAt(image, 5, 10), RED)).toBeLessThanOrEqual(12);
  });

  it('resizes the short side and centre-crops a square', async () => {
    // 80x20: red | green green | blue; the centred 20x20 crop at the short side 8 is all green.
    const source = blocks(80, 20, [RED, GREEN, GREEN, BLUE]);
    const { image, decode: settings } = await decode(rgbPng(source), { size: 8 });
    expect([image.width, image.height]).toEqual([8, 8]);
    expect(settings).toEqual({ orientation: 'auto', size: 8, colour: 'srgb', width: 8, height: 8 });
    for (let p = 0; p < 64; p++) expect(pixelAt(image, p % 8, Math.floor(p / 8))).toEqual(GREEN);
  });

  it('drops alpha before resizing, so transparent pixels keep their colour', async () => {
    const source = pattern(40, 30);
    const opaque = await decode(rgbPng(source), { size: 12 });
    const transparent = await decode(
      rgbaPng(source, () => 0),
      { size: 12 },
    );
    expect(Buffer.from(transparent.image.data).equals(Buffer.from(opaque.image.data))).toBe(true);
  });
});

describe('decode: bad input', () => {
  it('refuses an empty file', async () => {
    const error = await decodeError(new Uint8Array(0));
    expect(error.code).toBe('empty');
    expect(error.input).toBe('in/photo.jpg');
    expect(error.message).toMatch(/^in\/photo\.jpg: .*empty/);
  });

  it('refuses text named .jpg as not an image', async () => {
    const error = await decodeError(new TextEncoder().encode('just some notes, not a photo\n'));
    expect(error.code).toBe('not-an-image');
  });

  it('refuses truncated JPEGs (baseline and progressive) and PNGs instead of returning grey rows', async () => {
    const source = pattern(128, 96);
    for (const bytes of [
      await toBytes(fromRaw(source).jpeg()),
      await toBytes(fromRaw(source).jpeg({ progressive: true })),
      rgbPng(source),
    ]) {
      const error = await decodeError(bytes.subarray(0, Math.floor(bytes.length / 2)));
      expect(error.code).toBe('truncated');
    }
  });

  it('calls a file cut inside its header truncated', async () => {
    const error = await decodeError(rgbPng(pattern(8, 8)).subarray(0, 20));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain('PNG');
  });

  it('refuses a BMP as an unsupported format', async () => {
    const error = await decodeError(bmp2x2());
    expect(error.code).toBe('unsupported-format');
    expect(error.message).toContain('BMP');
  });

  it('refuses SVG (even named .png) as a non-raster format from its header, and decodes it with allowNonRaster', async () => {
    // filters like these make librsvg's render time grow without bound; the header read renders nothing
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><filter id="f">' +
        '<feGaussianBlur stdDeviation="9"/></filter><rect width="40" height="30" fill="#c33" filter="url(#f)"/></svg>',
    );
    const started = performance.now();
    const error = await decodeError(svg, { input: 'x.png' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('unsupported-format');
    expect(error.message).toBe(
      'x.png: svg is not a raster image format (accepted: jpeg, png, webp, avif, tiff, gif); vector and other formats are decoded only when allowNonRaster is set',
    );
    const decoded = await decode(svg, { allowNonRaster: true });
    expect(decoded).toMatchObject({ format: 'svg', image: { width: 40, height: 30 } });
  });

  it('refuses a HEIC (HEVC) file as an unsupported format', async () => {
    const heic = new Uint8Array(64);
    heic.set([
      0,
      0,
      0,
      0x18,
      ...new TextEncoder().encode('ftypheic'),
      0,
      0,
      0,
      0,
      ...new TextEncoder().encode('mif1heic'),
    ]);
    const error = await decodeError(heic);
    expect(error.code).toBe('unsupported-format');
    expect(error.message).toContain('HEIC');
  });

  it('refuses a pixel bomb from its header (30000x30000 declared) without decoding it', async () => {
    const bomb = pngDeclaring(30_000, 30_000);
    expect(bomb.length).toBeLessThan(2000);
    const error = await decodeError(bomb);
    expect(error.code).toBe('too-many-pixels');
    expect(error.message).toContain('30000x30000');
  });

  it('honours a configured pixel limit', async () => {
    const png = rgbPng(pattern(20, 10));
    expect((await decodeError(png, { maxPixels: 199 })).code).toBe('too-many-pixels');
    expect((await decode(png, { maxPixels: 200 })).image.width).toBe(20);
  });

  it('refuses input over the byte limit before decoding', async () => {
    const png = rgbPng(pattern(20, 10));
    const error = await decodeError(png, { maxBytes: png.length - 1 });
    expect(error.code).toBe('too-many-bytes');
    expect((await decode(png, { maxBytes: png.length })).image.height).toBe(10);
  });

  it('rejects bad options with errors naming the option', async () => {
    const png = rgbPng(pattern(4, 4));
    await expect(decode(png, { size: 0 })).rejects.toThrow(/size/);
    await expect(decode(png, { maxPixels: 1.5 })).rejects.toThrow(/maxPixels/);
    await expect(decode(png, { maxBytes: -1 })).rejects.toThrow(/maxBytes/);
    // @ts-expect-error: not an orientation
    await expect(decode(png, { orientation: 'flip' })).rejects.toThrow(/orientation/);
  });
});

describe('decode: decompression bomb in a fresh process', () => {
  it('keeps the peak memory of refusing a 30000x30000 PNG far below its 2.7 GB of pixels', () => {
    // Prepare: a child process that decodes the bomb and reports its peak RSS.
    const script = [
      "import { decode } from './src/codec/index.ts';",
      "import { pngDeclaring } from './test/codec/inputs.ts';",
      'const error = await decode(pngDeclaring(30000, 30000)).catch((e) => e);',
      'console.log(JSON.stringify({ code: error.code, maxRssKb: process.resourceUsage().maxRSS }));',
    ].join('\n');
    // Act
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    // Assess
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { code: string; maxRssKb: number };
    expect(result.code).toBe('too-many-pixels');
    expect(result.maxRssKb).toBeLessThan(400 * 1024);
  });
});

describe('decode: damaged but complete files', () => {
  it("accepts a JPEG with extraneous bytes before a marker (a decoder warning that sharp's default refuses)", async () => {
    const source = blocks(32, 16, [RED, BLUE]);
    const jpeg = await toBytes(fromRaw(source).jpeg({ quality: 95 }));
    const dqt = jpeg.findIndex((byte, i) => byte === 0xff && jpeg[i + 1] === 0xdb);
    const damaged = new Uint8Array([...jpeg.subarray(0, dqt), 0x12, 0x34, ...jpeg.subarray(dqt)]);
    await expect(sharp(damaged, { failOn: 'warning' }).raw().toBuffer()).rejects.toThrow(/extraneous bytes/);
    const { image } = await decode(damaged);
    expect(colourDistance(pixelAt(image, 4, 8), RED)).toBeLessThanOrEqual(12);
  });
});
