import { describe, expect, it } from 'vitest';
import { augmentAndMix } from '../../src/augmix/augment-and-mix.js';
import { variantSeed } from '../../src/augmix/seed.js';
import { decode } from '../../src/codec/index.js';
import { InputError } from '../../src/codec/input-error.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { augmixParametersOf, resolveSettings } from '../../src/pipeline/settings.js';
import { fromRaw, pattern, rgbPng, toBytes } from '../codec/inputs.js';

const KEY = 'train/cat/001.png';
const PNG = rgbPng(pattern(24, 18));

describe('processImage', () => {
  it('produces K variants named by the layout, each the seeded AugMix of the decoded image', async () => {
    // Prepare
    const settings = resolveSettings({ variants: 3, seed: 11 });
    // Act
    const result = await processImage(PNG, KEY, settings);
    // Assess
    expect(result.relativeKey).toBe(KEY);
    expect(result.clean).toBeNull();
    expect(result.variants.map((v) => [v.variant, v.name, v.contentType])).toEqual([
      [0, `${KEY}.augmix-00.png`, 'image/png'],
      [1, `${KEY}.augmix-01.png`, 'image/png'],
      [2, `${KEY}.augmix-02.png`, 'image/png'],
    ]);
    expect(result.documentName).toBe(`${KEY}.augmix.json`);
    const decoded = await decode(PNG);
    for (const variant of result.variants) {
      const seed = variantSeed(11, KEY, variant.variant);
      expect(variant.seed).toBe(seed);
      const expected = augmentAndMix(decoded.image, augmixParametersOf(settings), seed);
      expect(variant.record).toEqual({ ...expected.record, decode: decoded.decode });
      const written = await decode(variant.bytes);
      expect(Buffer.from(written.image.data).equals(Buffer.from(expected.image.data))).toBe(true);
    }
  });

  it('is deterministic and depends on the key and seed, not on call order', async () => {
    const settings = resolveSettings({ variants: 2 });
    const other = 'train/cat/002.png';
    const a1 = await processImage(PNG, KEY, settings);
    const b1 = await processImage(PNG, other, settings);
    const b2 = await processImage(PNG, other, settings);
    const a2 = await processImage(PNG, KEY, settings);
    const bytesOf = (r: typeof a1): string[] =>
      r.variants.map((v) => Buffer.from(v.bytes).toString('base64'));
    expect(bytesOf(a2)).toEqual(bytesOf(a1));
    expect(bytesOf(b2)).toEqual(bytesOf(b1));
    expect(a1.variants.map((v) => v.record)).toEqual(a2.variants.map((v) => v.record));
    expect(a1.variants.map((v) => v.seed)).not.toEqual(b1.variants.map((v) => v.seed));
    const reseeded = await processImage(PNG, KEY, resolveSettings({ variants: 2, seed: 1 }));
    expect(reseeded.variants.map((v) => v.seed)).not.toEqual(a1.variants.map((v) => v.seed));
  });

  it('in JSD mode writes the clean view and K pairs from seed indices 2j and 2j+1', async () => {
    const settings = resolveSettings({ variants: 2, jsd: true, seed: 3 });
    const result = await processImage(PNG, KEY, settings);
    expect(result.variants.map((v) => [v.variant, v.name])).toEqual([
      [0, `${KEY}.jsd-00a.png`],
      [1, `${KEY}.jsd-00b.png`],
      [2, `${KEY}.jsd-01a.png`],
      [3, `${KEY}.jsd-01b.png`],
    ]);
    expect(result.variants.map((v) => v.seed)).toEqual([0, 1, 2, 3].map((i) => variantSeed(3, KEY, i)));
    expect(result.clean?.name).toBe(`${KEY}.clean.png`);
    expect(result.clean?.contentType).toBe('image/png');
    const clean = await decode(result.clean!.bytes);
    expect(Buffer.from(clean.image.data).equals(Buffer.from(pattern(24, 18).data))).toBe(true);
    // The two views of a pair are independent draws.
    expect(result.variants[0]!.record).not.toEqual(result.variants[1]!.record);
  });

  it('records how the input was decoded (size, orientation) and augments at that size', async () => {
    const settings = resolveSettings({ variants: 1, size: 12, orientation: 'raw' });
    const [variant] = (await processImage(PNG, KEY, settings)).variants;
    expect(variant!.record.decode).toEqual({
      orientation: 'raw',
      size: 12,
      colour: 'srgb',
      width: 12,
      height: 12,
    });
    const written = await decode(variant!.bytes);
    expect([written.image.width, written.image.height]).toEqual([12, 12]);
  });

  it('writes the input format for `same` (jpeg stays jpeg, gif becomes png) or the format asked for', async () => {
    const jpeg = await toBytes(fromRaw(pattern(24, 18)).jpeg());
    const gif = await toBytes(fromRaw(pattern(24, 18)).gif());
    const one = resolveSettings({ variants: 1 });
    expect((await processImage(jpeg, 'a.jpg', one)).variants[0]!.name).toBe('a.jpg.augmix-00.jpg');
    expect((await processImage(jpeg, 'a.jpg', one)).variants[0]!.contentType).toBe('image/jpeg');
    expect((await processImage(gif, 'b.gif', one)).variants[0]!.name).toBe('b.gif.augmix-00.png');
    const webp = await processImage(PNG, KEY, resolveSettings({ variants: 1, format: 'webp', quality: 50 }));
    expect(webp.variants[0]!.name).toBe(`${KEY}.augmix-00.webp`);
    expect((await decode(webp.variants[0]!.bytes)).format).toBe('webp');
  });

  it('reports its timings', async () => {
    const { timings } = await processImage(PNG, KEY, resolveSettings({ variants: 1 }));
    for (const ms of [timings.decodeMs, timings.augmentMs, timings.encodeMs]) {
      expect(Number.isFinite(ms) && ms >= 0).toBe(true);
    }
  });

  it('throws InputError naming the relative key for bad input', async () => {
    const settings = resolveSettings();
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), 'empty'],
      [PNG.subarray(0, PNG.length - 30), 'truncated'],
      [new TextEncoder().encode('not an image'), 'not-an-image'],
    ];
    for (const [bytes, code] of cases) {
      const error = await processImage(bytes, KEY, settings).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe(code);
      expect((error as InputError).input).toBe(KEY);
    }
    const tooBig = await processImage(PNG, KEY, resolveSettings({ maxBytes: 10 })).catch((e: unknown) => e);
    expect((tooBig as InputError).code).toBe('too-many-bytes');
    const tooMany = await processImage(PNG, KEY, resolveSettings({ maxPixels: 100 })).catch(
      (e: unknown) => e,
    );
    expect((tooMany as InputError).code).toBe('too-many-pixels');
  });

  it('rejects a key that is not relative', async () => {
    await expect(processImage(PNG, '/abs/a.png', resolveSettings())).rejects.toThrow(/relativeKey/);
  });
});
