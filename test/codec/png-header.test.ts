import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readPngHeader } from '../../src/codec/png-header.js';
import { greyAlphaPng, greyPng, palettePng, pattern, pngDeclaring, rgbaPng, rgbPng } from './inputs.js';

describe('readPngHeader', () => {
  it('agrees with sharp metadata() on size and alpha for every PNG layout', async () => {
    const grey = new Uint8Array(12).fill(7);
    const pngs = [
      rgbPng(pattern(5, 3)),
      rgbaPng(pattern(4, 3), () => 0),
      greyPng(4, 3, grey),
      greyAlphaPng(4, 3, grey, grey),
      palettePng(4, 3, new Uint8Array(12), [[1, 2, 3]]),
      palettePng(4, 3, new Uint8Array(12), [[1, 2, 3]], [0]),
    ];
    for (const png of pngs) {
      const metadata = await sharp(png).metadata();
      expect(readPngHeader(png)).toEqual({
        format: 'png',
        width: metadata.width,
        height: metadata.height,
        hasAlpha: metadata.hasAlpha,
      });
    }
  });

  it('reads the declared size of a bomb without inflating anything', () => {
    expect(readPngHeader(pngDeclaring(30_000, 40_000))).toMatchObject({ width: 30_000, height: 40_000 });
  });

  it('returns null for anything that is not a well-formed PNG header', () => {
    const png = rgbPng(pattern(2, 2));
    expect(readPngHeader(png.subarray(0, 20))).toBeNull();
    expect(readPngHeader(new TextEncoder().encode('not a png, just some text here!!!!'))).toBeNull();
    const zeroWidth = png.slice();
    zeroWidth.fill(0, 16, 20);
    expect(readPngHeader(zeroWidth)).toBeNull();
  });
});
