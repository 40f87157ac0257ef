import { describe, expect, it } from 'vitest';
import { brightness, color, contrast, luma, sharpness, smooth } from '../../../src/augmix/ops/index.js';
import { channel, greyImage, imageFromRows, pixelRows } from '../../helpers/literal-image.js';

describe('brightness', () => {
  const image = greyImage([[0, 100, 200, 255]]);

  it('is black at 0 and the identity at 1', () => {
    expect(channel(brightness(image, 0), 0)).toEqual([0, 0, 0, 0]);
    expect(brightness(image, 1).data).toEqual(image.data);
  });

  it('truncates (255 * 0.5 = 127.5 -> 127) and clamps above 1', () => {
    expect(channel(brightness(image, 0.5), 0)).toEqual([0, 50, 100, 127]);
    expect(channel(brightness(image, 2), 0)).toEqual([0, 200, 255, 255]);
  });
});

describe('color', () => {
  it("blends with Pillow's integer luma, not the float 0.299/0.587/0.114 weights", () => {
    // (0, 80, 110): (38470 * 80 + 7471 * 110 + 32768) >> 16 = 60, while the float formula rounds to 59
    expect(luma(0, 80, 110)).toBe(60);
    const image = imageFromRows([[[0, 80, 110]]]);
    expect(pixelRows(color(image, 0))).toEqual([[[60, 60, 60]]]);
  });

  it('is the identity at 1 and grey images are fixed points', () => {
    const image = imageFromRows([
      [
        [0, 80, 110],
        [255, 3, 40],
      ],
    ]);
    expect(color(image, 1).data).toEqual(image.data);
    const grey = greyImage([[0, 77, 255]]);
    expect(color(grey, 0.3).data).toEqual(grey.data);
  });
});

describe('contrast', () => {
  // luma 0 and 20: mean 10, so the degenerate image is a flat 10
  const image = greyImage([[0, 20]]);

  it('gives a flat image of the rounded mean luma at factor 0 (mean 0.5 rounds up)', () => {
    expect(channel(contrast(image, 0), 0)).toEqual([10, 10]);
    expect(channel(contrast(greyImage([[0, 1]]), 0), 0)).toEqual([1, 1]);
  });

  it('blends in float32: 10 + fl32(0.3) * (0 - 10) = 7 (float64 would give 6.99999988 -> 6)', () => {
    expect(channel(contrast(image, 0.3), 0)).toEqual([7, 13]);
  });
});

describe('sharpness', () => {
  const image = greyImage([
    [10, 20, 30, 40],
    [50, 250, 0, 60],
    [70, 0, 255, 80],
    [90, 100, 110, 120],
  ]);

  it('never changes the 1-pixel border', () => {
    for (const factor of [0, 0.5, 3]) {
      const out = channel(sharpness(image, factor), 0);
      const input = channel(image, 0);
      for (const i of [0, 1, 2, 3, 4, 7, 8, 11, 12, 13, 14, 15]) expect(out[i]).toBe(input[i]);
    }
  });

  it('changes the interior (blur below 1, sharpen above) and is the identity at 1', () => {
    const blurred = channel(sharpness(image, 0), 0);
    const sharpened = channel(sharpness(image, 2), 0);
    expect(blurred[5]).toBeLessThan(250);
    expect(sharpened[5]).toBe(255);
    expect(sharpened[6]).toBe(0);
    expect(sharpness(image, 1).data).toEqual(image.data);
  });

  it('smooths with the [[1,1,1],[1,5,1],[1,1,1]]/13 kernel in float32 plus 0.5, truncated', () => {
    // centre of a 3x3 with one bright pixel: 0.5 + fl32(255 * fl32(5/13)) = 98.57.. -> 98
    const dot = greyImage([
      [0, 0, 0],
      [0, 255, 0],
      [0, 0, 0],
    ]);
    expect(channel({ width: 3, height: 3, data: smooth(dot) }, 0)).toEqual([0, 0, 0, 0, 98, 0, 0, 0, 0]);
  });

  it('is the identity on images under 3x3 at any factor', () => {
    const small = greyImage([
      [0, 255],
      [255, 0],
    ]);
    const strip = greyImage([[0, 255, 0, 255, 0]]);
    for (const factor of [0, 0.5, 3]) {
      expect(sharpness(small, factor).data).toEqual(small.data);
      expect(sharpness(strip, factor).data).toEqual(strip.data);
    }
  });
});
