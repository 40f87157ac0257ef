import { describe, expect, it } from 'vitest';
import {
  affineBilinear,
  rotate,
  shearX,
  shearY,
  translateX,
  translateY,
} from '../../../src/augmix/ops/index.js';
import { channel, greyImage, imageFromRows, pixelRows } from '../../helpers/literal-image.js';

const row = greyImage([[10, 20, 30, 40]]);

describe('translate', () => {
  it('positive translate_x moves the picture left and fills the right with black', () => {
    expect(channel(translateX(row, 1), 0)).toEqual([20, 30, 40, 0]);
    expect(channel(translateX(row, -2), 0)).toEqual([0, 0, 10, 20]);
  });

  it('positive translate_y moves the picture up', () => {
    const column = greyImage([[10], [20], [30]]);
    expect(channel(translateY(column, 1), 0)).toEqual([20, 30, 0]);
    expect(channel(translateY(column, -1), 0)).toEqual([0, 10, 20]);
  });

  it('is a copy at 0 and all black at or beyond the image size', () => {
    expect(translateX(row, 0).data).toEqual(row.data);
    expect(channel(translateX(row, 4), 0)).toEqual([0, 0, 0, 0]);
    expect(channel(translateX(row, -1000), 0)).toEqual([0, 0, 0, 0]);
  });

  it('interpolates fractional shifts bilinearly and truncates (127.5 -> 127)', () => {
    const pair = greyImage([[0, 255]]);
    // x = 0 samples u = 1 (in bounds) -> centre-relative 0.5 -> 0 + 255 * 0.5; x = 1 samples u = 2 = W -> black
    expect(channel(translateX(pair, 0.5), 0)).toEqual([127, 0]);
  });
});

describe('shear', () => {
  it('shears about the top-left corner: row y of shear_x(s) reads x + s * (y + 0.5)', () => {
    // Prepare: s = 2 makes every shift an integer: row 0 reads x + 1, row 1 reads x + 3
    const image = greyImage([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
    ]);
    // Act
    const out = shearX(image, 2);
    // Assess
    expect(pixelRows(out).map((r) => r.map((p) => p[0]))).toEqual([
      [2, 3, 4, 5, 0],
      [9, 10, 0, 0, 0],
    ]);
  });

  it('shear_y shifts columns by s * (x + 0.5)', () => {
    const image = greyImage([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    // s = 2: column 0 reads y + 1, column 1 reads y + 3; s = -2: y - 1 and y - 3
    expect(channel(shearY(image, 2), 0)).toEqual([3, 8, 5, 0, 7, 0, 0, 0]);
    expect(channel(shearY(image, -2), 0)).toEqual([0, 0, 1, 0, 3, 0, 5, 2]);
  });

  it('is an exact copy at 0', () => {
    const image = greyImage([
      [3, 200],
      [17, 99],
    ]);
    expect(shearX(image, 0).data).toEqual(image.data);
    expect(shearY(image, 0).data).toEqual(image.data);
  });
});

describe('affine bilinear sampling', () => {
  it('clamps to the edge inside the outer half pixel and is hard black just outside', () => {
    const pair = greyImage([[80, 160]]);
    // u = x + 0.5 - 0.25: x = 0 samples 0.25 (half pixel: edge-clamped, exactly 80), x = 1 blends 80/160
    expect(channel(affineBilinear(pair, [1, 0, -0.25, 0, 1, 0]), 0)).toEqual([80, 140]);
    // u = x + 0.5 - 0.75: x = 0 samples -0.25 < 0 -> black, no blending towards black
    expect(channel(affineBilinear(pair, [1, 0, -0.75, 0, 1, 0]), 0)).toEqual([0, 100]);
  });
});

describe('rotate', () => {
  const square = imageFromRows([
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    [
      [7, 8, 9],
      [10, 11, 12],
    ],
  ]);

  it('returns a copy at 0 and 360 degrees', () => {
    for (const degrees of [0, 360, -360, 720]) {
      const out = rotate(square, degrees);
      expect(out.data).toEqual(square.data);
      expect(out.data).not.toBe(square.data);
    }
  });

  it('flips exactly at 180 degrees', () => {
    expect(pixelRows(rotate(square, 180))).toEqual([
      [
        [10, 11, 12],
        [7, 8, 9],
      ],
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
    ]);
  });

  it('turns a square exactly by 90 (counter-clockwise) and 270 / -90 (clockwise)', () => {
    const image = greyImage([
      [1, 2],
      [3, 4],
    ]);
    expect(channel(rotate(image, 90), 0)).toEqual([2, 4, 1, 3]);
    expect(channel(rotate(image, 270), 0)).toEqual([3, 1, 4, 2]);
    expect(rotate(image, -90).data).toEqual(rotate(image, 270).data);
    expect(rotate(image, 450).data).toEqual(rotate(image, 90).data);
  });

  it('keeps a 1x1 image (its centre maps onto itself) at any angle', () => {
    const dot = imageFromRows([[[9, 99, 199]]]);
    for (const degrees of [1, 45, 90, 12.7, -30]) expect(rotate(dot, degrees).data).toEqual(dot.data);
  });

  it('keeps the size of non-square images at 90 degrees (no expand) and blacks out the corners', () => {
    const wide = greyImage([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const out = rotate(wide, 90);
    expect([out.width, out.height]).toEqual([4, 2]);
    expect(channel(out, 0)[0]).toBe(0);
    expect(channel(out, 0)[3]).toBe(0);
  });
});
