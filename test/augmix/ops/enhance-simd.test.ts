import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import { brightness, color, contrast, sharpness } from '../../../src/augmix/ops/enhance.js';
import { simdKernels, useSimdKernels } from '../../../src/augmix/ops/simd/kernels.js';
import { channelNoise, firstDifference, misaligned, random } from '../../helpers/noise-image.js';

// The enhancement ops with the WebAssembly kernels (enhance-simd.ts: sharpness with SMOOTH and the blend
// fused, color, both in f32x4 lanes; brightness and contrast through the table kernel of lut-ops-simd.ts)
// against the TypeScript paths of enhance.ts, byte for byte: the smallest images the filter changes, widths
// whose interior is not a multiple of the 4-value step, pixel counts that are not multiples of the 4-pixel
// step, images of several row bands or memory chunks, and factors that blur, sharpen, leave the image as is,
// underflow or overflow float32.

afterEach(() => useSimdKernels(true));

const SIZES: readonly [number, number][] = [
  [1, 1],
  [2, 1],
  [3, 3],
  [4, 3],
  [3, 4],
  [5, 5],
  [6, 2],
  [7, 3],
  [33, 17],
  [224, 224],
  [999, 300], // several 256 KiB row bands, several 192 KiB chunks
];

const FACTORS = [0, 0.118, 0.4, 0.64, 1, 1.7, 3.5, -0.5, 1e-40, 1e39];

const OPS = { sharpness, color, contrast, brightness } as const;

function bothWays(op: keyof typeof OPS, image: RgbImage, factor: number): [Uint8Array, Uint8Array] {
  useSimdKernels(true);
  const simd = OPS[op](image, factor).data;
  useSimdKernels(false);
  const reference = OPS[op](image, factor).data;
  useSimdKernels(true);
  return [simd, reference];
}

describe('enhancement ops with the WebAssembly kernels', () => {
  it('load on this Node, so the comparisons below run the WebAssembly paths', () => {
    expect(simdKernels()).not.toBeNull();
  });

  for (const op of Object.keys(OPS) as (keyof typeof OPS)[]) {
    it(`${op} gives the bytes of the TypeScript path at every size and factor`, () => {
      const next = random(17);
      for (const [width, height] of SIZES) {
        const image = channelNoise(width, height, next);
        const inputs: [string, RgbImage][] = [[`${width}x${height}`, image]];
        if (width * height < 10_000) inputs.push([`${width}x${height} misaligned`, misaligned(image)]);
        for (const [name, input] of inputs) {
          for (const factor of FACTORS) {
            const [simd, reference] = bothWays(op, input, factor);
            expect(
              firstDifference(simd, reference),
              `${op} ${name} factor ${factor}: first differing index`,
            ).toBe(-1);
          }
        }
      }
    });
  }

  it('sharpness changes the interior and keeps the border (so its comparison is not of two copies)', () => {
    const image = channelNoise(40, 30, random(19));
    const out = sharpness(image, 0.2).data;
    const stride = 40 * 3;
    expect(out.subarray(0, stride)).toEqual(image.data.subarray(0, stride));
    expect(out.subarray(29 * stride)).toEqual(image.data.subarray(29 * stride));
    expect(firstDifference(out, image.data)).toBeGreaterThanOrEqual(stride);
  });
});
