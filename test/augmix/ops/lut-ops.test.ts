import { describe, expect, it } from 'vitest';
import { autocontrast, equalize, posterize, solarize } from '../../../src/augmix/ops/index.js';
import { channel, greyImage, imageFromChannels } from '../../helpers/literal-image.js';

describe('autocontrast', () => {
  it('maps hi to 254 when Pillow float error says so (lo = 0, hi = 25: 25 * 10.2 = 254.99999999999997)', () => {
    // Prepare: R spans 0..25, G is constant, B already spans the full range
    const image = imageFromChannels(3, 1, [0, 10, 25], [5, 5, 5], [0, 128, 255]);
    // Act
    const out = autocontrast(image);
    // Assess
    expect(channel(out, 0)[0]).toBe(0);
    expect(channel(out, 0)[2]).toBe(254);
    expect(channel(out, 1)).toEqual([5, 5, 5]);
    expect(channel(out, 2)).toEqual([0, 128, 255]);
  });

  it('stretches each channel on its own', () => {
    const image = imageFromChannels(2, 1, [100, 101], [0, 51], [7, 7]);
    const out = autocontrast(image);
    expect(channel(out, 0)).toEqual([0, 255]);
    expect(channel(out, 1)).toEqual([0, 255]);
    expect(channel(out, 2)).toEqual([7, 7]);
  });
});

describe('equalize', () => {
  it("uses Pillow's step (excluding the brightest value's count) and clips the LUT at 255", () => {
    // Prepare: 257 pixels, R = 128 × 0, 128 × 100, 1 × 200, so step = floor((257 - 1) / 255) = 1
    const r = [...Array<number>(128).fill(0), ...Array<number>(128).fill(100), 200];
    const image = imageFromChannels(257, 1, r, r, r);
    // Act
    const out = channel(equalize(image), 0);
    // Assess: LUT[i] = (floor(1/2) + #pixels below i) / 1, and LUT[200] = 256 is clipped to 255
    expect(out[0]).toBe(0);
    expect(out[128]).toBe(128);
    expect(out[256]).toBe(255);
  });

  it('leaves a channel unchanged when step = 0 (fewer than 256 pixels below the brightest value)', () => {
    const image = greyImage([
      [0, 60],
      [120, 250],
    ]);
    expect(equalize(image).data).toEqual(image.data);
  });

  it('leaves a one-value channel unchanged', () => {
    const image = imageFromChannels(
      300,
      1,
      Array<number>(300).fill(9),
      Array<number>(300).fill(9),
      Array<number>(300).fill(9),
    );
    expect(equalize(image).data).toEqual(image.data);
  });
});

describe('posterize', () => {
  const image = greyImage([[0, 1, 31, 32, 127, 128, 200, 255]]);

  it('keeps the given number of high bits', () => {
    expect(channel(posterize(image, 3), 0)).toEqual([0, 0, 0, 32, 96, 128, 192, 224]);
    expect(channel(posterize(image, 1), 0)).toEqual([0, 0, 0, 0, 0, 128, 128, 128]);
  });

  it('is black at 0 bits and the identity at 8 bits', () => {
    expect(channel(posterize(image, 0), 0)).toEqual(Array<number>(8).fill(0));
    expect(posterize(image, 8).data).toEqual(image.data);
  });
});

describe('solarize', () => {
  const image = greyImage([[0, 1, 127, 128, 129, 255]]);

  it('inverts values >= threshold and keeps values below it', () => {
    expect(channel(solarize(image, 128), 0)).toEqual([0, 1, 127, 127, 126, 0]);
  });

  it('changes nothing at threshold 256 and inverts everything at 0 or below', () => {
    expect(solarize(image, 256).data).toEqual(image.data);
    expect(channel(solarize(image, 0), 0)).toEqual([255, 254, 128, 127, 126, 0]);
    expect(solarize(image, -5).data).toEqual(solarize(image, 0).data);
    expect(channel(solarize(image, 255), 0)).toEqual([0, 1, 127, 128, 129, 0]);
  });
});
