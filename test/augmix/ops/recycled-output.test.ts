import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import { mixImages } from '../../../src/augmix/mix.js';
import type { OpName } from '../../../src/augmix/op-names.js';
import { recycleImageData } from '../../../src/augmix/ops/image-buffers.js';
import { applyOp } from '../../../src/augmix/ops/index.js';
import { useSimdKernels } from '../../../src/augmix/ops/simd/kernels.js';
import { channelNoise, random } from '../../helpers/noise-image.js';

afterEach(() => useSimdKernels(true));

// Ops and the mix that write every byte of their output take a recycled buffer without zeroing it; this
// hands each one a dirty buffer of the right size and checks the result against the TypeScript reference.
const OPS: readonly [OpName, number | null][] = [
  ['posterize', 3],
  ['solarize', 128],
  ['autocontrast', null],
  ['equalize', null],
  ['color', 0.4],
  ['contrast', 0.6],
  ['brightness', 1.3],
  ['sharpness', 0.4],
];

const dirty = (length: number): Uint8Array => new Uint8Array(length).fill(0xa5);

describe('outputs written into recycled buffers', () => {
  for (const [width, height] of [
    [1, 1],
    [2, 2],
    [7, 3],
    [64, 48],
  ] as const) {
    it(`are the reference's bytes whatever the buffer held (${width}x${height})`, () => {
      const next = random(width * 100 + height);
      const image: RgbImage = channelNoise(width, height, next);
      for (const [op, value] of OPS) {
        useSimdKernels(false);
        const reference = applyOp(image, op, value).data;
        useSimdKernels(true);
        recycleImageData(dirty(image.data.length));
        expect(Buffer.from(applyOp(image, op, value).data).equals(Buffer.from(reference)), op).toBe(true);
      }
      const chains = [0, 1, 2].map(() => channelNoise(width, height, next));
      const weights = [0.2, 0.35, 0.45];
      useSimdKernels(false);
      const reference = mixImages(image, chains, weights, 0.7).data;
      useSimdKernels(true);
      recycleImageData(dirty(image.data.length));
      expect(Buffer.from(mixImages(image, chains, weights, 0.7).data).equals(Buffer.from(reference))).toBe(
        true,
      );
    });
  }
});
