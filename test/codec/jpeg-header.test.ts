import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/codec/decode.js';
import { readJpegHeader } from '../../src/codec/jpeg-header.js';
import { fromRaw, pattern } from './inputs.js';

const bytesOf = async (pipeline: Sharp) => new Uint8Array(await pipeline.toBuffer());

/** A JPEG's bytes with `inserted` put before the segment whose marker is `marker`. */
function insertBefore(jpeg: Uint8Array, marker: number, inserted: readonly number[]): Uint8Array {
  const at = jpeg.findIndex((byte, i) => byte === 0xff && jpeg[i + 1] === marker);
  return new Uint8Array([...jpeg.subarray(0, at), ...inserted, ...jpeg.subarray(at)]);
}

describe('readJpegHeader', () => {
  it('agrees with sharp metadata() for every kind of JPEG sharp writes', async () => {
    const source = pattern(37, 23);
    const jpegs = [
      await bytesOf(fromRaw(source).jpeg()),
      await bytesOf(fromRaw(source).jpeg({ progressive: true })),
      await bytesOf(fromRaw(source).jpeg({ chromaSubsampling: '4:4:4', quality: 100 })),
      await bytesOf(fromRaw(source).jpeg({ mozjpeg: true })),
      await bytesOf(fromRaw(source).greyscale().jpeg()),
      await bytesOf(fromRaw(source).toColourspace('cmyk').jpeg()),
      await bytesOf(fromRaw(source).withMetadata({ orientation: 6 }).jpeg()),
      await bytesOf(fromRaw(source).withIccProfile('p3').jpeg()),
    ];
    for (const jpeg of jpegs) {
      const metadata = await sharp(jpeg).metadata();
      expect(readJpegHeader(jpeg)).toEqual({
        format: 'jpeg',
        width: metadata.width,
        height: metadata.height,
        hasAlpha: false,
      });
    }
  });

  it('skips fill bytes before a marker', async () => {
    const jpeg = await bytesOf(fromRaw(pattern(9, 4)).jpeg());
    expect(readJpegHeader(insertBefore(jpeg, 0xdb, [0xff, 0xff]))).toMatchObject({ width: 9, height: 4 });
  });

  it('returns null for anything but a well-formed header, so that sharp judges it', async () => {
    const jpeg = await bytesOf(fromRaw(pattern(9, 4)).jpeg());
    const sof = jpeg.findIndex((byte, i) => byte === 0xff && jpeg[i + 1] === 0xc0);
    const zeroHeight = jpeg.slice();
    zeroHeight.fill(0, sof + 5, sof + 7);
    const badComponents = jpeg.slice();
    badComponents[sof + 9] = 2;
    const sofSegment = jpeg.subarray(sof, sof + 2 + ((jpeg[sof + 2]! << 8) | jpeg[sof + 3]!));
    const cases = {
      'the first bytes only': jpeg.subarray(0, 30),
      'header cut before the scan': jpeg.subarray(0, sof + 12),
      'stray bytes between segments': insertBefore(jpeg, 0xdb, [0x12, 0x34]),
      'a height given by DNL (0)': zeroHeight,
      'two components': badComponents,
      'two frame headers': insertBefore(jpeg, 0xda, [...sofSegment]),
      text: new TextEncoder().encode('not a jpeg at all, only text'),
      'a PNG': await bytesOf(fromRaw(pattern(2, 2)).png()),
    };
    for (const [name, bytes] of Object.entries(cases)) expect(readJpegHeader(bytes), name).toBeNull();
  });

  it('lets decode refuse a JPEG declaring too many pixels from the header alone', async () => {
    const jpeg = await bytesOf(fromRaw(pattern(9, 4)).jpeg());
    const sof = jpeg.findIndex((byte, i) => byte === 0xff && jpeg[i + 1] === 0xc0);
    const huge = jpeg.slice();
    huge.set([0xea, 0x60, 0xea, 0x60], sof + 5); // 60000 x 60000
    expect(readJpegHeader(huge)).toMatchObject({ width: 60_000, height: 60_000 });
    await expect(decode(huge, { input: 'huge.jpg' })).rejects.toMatchObject({ code: 'too-many-pixels' });
  });
});
