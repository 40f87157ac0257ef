import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import { sharpness } from '../../../src/augmix/ops/enhance.js';
import { simdKernels, useSimdKernels } from '../../../src/augmix/ops/simd/kernels.js';
import { channelNoise, firstDifference, misaligned, random } from '../../helpers/noise-image.js';

// Sharpness in WebAssembly (sharpness-simd.ts: SMOOTH and blend fused in f32x4 lanes) against the TypeScript
// path of enhance.ts, byte for byte: the smallest images the filter changes, widths whose interior is not a
// multiple of the 4-value step, images of several row bands, and factors that blur, sharpen, leave the
// image as is, or overflow float32.

afterEach(() => useSimdKernels(true));

const SIZES: readonly [number, number][] = [
  [3, 3],
  [4, 3],
  [3, 4],
  [5, 5],
  [6, 2],
  [7, 3],
  [33, 17],
  [224, 224],
  [999, 300], // several 256 KiB row bands
];

const FACTORS = [0, 0.118, 0.4, 0.64, 1, 1.7, 3.5, -0.5, 1e-40, 1e39];

function sharpnessBothWays(image: RgbImage, factor: number): [Uint8Array, Uint8Array] {
  useSimdKernels(true);
  const simd = sharpness(image, factor).data;
  useSimdKernels(false);
  const reference = sharpness(image, factor).data;
  useSimdKernels(true);
  return [simd, reference];
}

describe('sharpness in WebAssembly', () => {
  it('loads on this Node, so the comparisons below run the WebAssembly path', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it('gives the bytes of the TypeScript path at every size and factor', () => {
    const next = random(17);
    for (const [width, height] of SIZES) {
      const image = channelNoise(width, height, next);
      const inputs: [string, RgbImage][] = [[`${width}x${height}`, image]];
      if (width * height < 10_000) inputs.push([`${width}x${height} misaligned`, misaligned(image)]);
      for (const [name, input] of inputs) {
        for (const factor of FACTORS) {
          const [simd, reference] = sharpnessBothWays(input, factor);
          expect(firstDifference(simd, reference), `${name} factor ${factor}: first differing index`).toBe(
            -1,
          );
        }
      }
    }
  });

  it('changes the interior and keeps the border (so the comparison above is not of two copies)', () => {
    const image = channelNoise(40, 30, random(19));
    const out = sharpness(image, 0.2).data;
    const stride = 40 * 3;
    expect(out.subarray(0, stride)).toEqual(image.data.subarray(0, stride));
    expect(out.subarray(29 * stride)).toEqual(image.data.subarray(29 * stride));
    expect(firstDifference(out, image.data)).toBeGreaterThanOrEqual(stride);
  });
});
