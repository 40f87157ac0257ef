import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import {
  applyChannelLuts,
  autocontrast,
  channelHistograms,
  channelRanges,
  equalize,
  mapBytes,
  posterize,
  solarize,
} from '../../../src/augmix/ops/lut-ops.js';
import { simdKernels, useSimdKernels } from '../../../src/augmix/ops/simd/kernels.js';
import { channelNoise, firstDifference, misaligned, random } from '../../helpers/noise-image.js';

// The WebAssembly look-up-table kernels (lut-ops-simd.ts) against the TypeScript loops of lut-ops.ts, byte
// for byte: sizes whose byte counts are not multiples of 16 (the vector step) or 12 (the 4-pixel group),
// images larger than one chunk of module memory, and data that does not start on a word boundary.

afterEach(() => useSimdKernels(true));

const SIZES: readonly [number, number][] = [
  [1, 1],
  [3, 5],
  [5, 1],
  [7, 3],
  [33, 17],
  [224, 224],
  [301, 233], // 210,399 bytes: more than one 196,608-byte chunk, with a tail
  [999, 251],
];

/** Both paths on the same input: [WebAssembly, TypeScript]. */
function bothPaths<T>(run: () => T): [T, T] {
  useSimdKernels(true);
  const simd = run();
  useSimdKernels(false);
  const reference = run();
  useSimdKernels(true);
  return [simd, reference];
}

function expectSameBytes(pair: [Uint8Array | Uint32Array, Uint8Array | Uint32Array], what: string): void {
  const [simd, reference] = pair;
  expect(firstDifference(simd, reference), `${what}: first differing index`).toBe(-1);
}

function* images(seed: number): Generator<[string, RgbImage]> {
  const next = random(seed);
  for (const [width, height] of SIZES) {
    const image = channelNoise(width, height, next);
    yield [`${width}x${height}`, image];
    if (width * height < 100_000) yield [`${width}x${height} misaligned`, misaligned(image)];
  }
}

describe('look-up-table ops in WebAssembly', () => {
  it('load on this Node, so the comparisons below run the WebAssembly path', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it('posterize like the TypeScript table for every bit count 0..8', () => {
    for (const [name, image] of images(3)) {
      for (let bits = 0; bits <= 8; bits++) {
        expectSameBytes(
          bothPaths(() => posterize(image, bits).data),
          `${name} bits ${bits}`,
        );
      }
    }
  });

  it('solarize like the TypeScript table at every kind of threshold', () => {
    const thresholds = [0, 1, 64, 127, 128, 128.5, 200, 254, 255, 256, 300, -3, Number.NaN];
    for (const [name, image] of images(5)) {
      for (const threshold of thresholds) {
        expectSameBytes(
          bothPaths(() => solarize(image, threshold).data),
          `${name} threshold ${threshold}`,
        );
      }
    }
  });

  it('count channel histograms like the TypeScript loop', () => {
    for (const [name, image] of images(7)) {
      const [simd, reference] = bothPaths(() => channelHistograms(image));
      expectSameBytes([simd, reference], name);
      expect(simd.reduce((sum, count) => sum + count, 0)).toBe(image.data.length);
    }
  });

  it('find the channel ranges (autocontrast) like the TypeScript histogram scan', () => {
    for (const [name, image] of images(8)) {
      const [simd, reference] = bothPaths(() => channelRanges(image));
      expectSameBytes([Uint32Array.from(simd), Uint32Array.from(reference)], name);
    }
  });

  it('autocontrast and equalize like the TypeScript loops', () => {
    for (const [name, image] of images(9)) {
      expectSameBytes(
        bothPaths(() => autocontrast(image).data),
        `autocontrast ${name}`,
      );
      expectSameBytes(
        bothPaths(() => equalize(image).data),
        `equalize ${name}`,
      );
    }
  });

  it('map through arbitrary tables like the TypeScript loops (per channel and one for all)', () => {
    const next = random(13);
    for (const [name, image] of images(11)) {
      const luts = Uint8Array.from({ length: 768 }, () => Math.floor(next() * 256));
      expectSameBytes(
        bothPaths(() => applyChannelLuts(image, luts).data),
        `channel tables ${name}`,
      );
      const lut = luts.subarray(256, 512);
      expectSameBytes(
        bothPaths(() => mapBytes(image.data, lut)),
        `one table ${name}`,
      );
    }
  });

  it('leave the input untouched', () => {
    const [, image] = images(15).next().value as [string, RgbImage];
    const before = Uint8Array.from(image.data);
    posterize(image, 2);
    solarize(image, 100);
    autocontrast(image);
    equalize(image);
    expect(image.data).toEqual(before);
  });
});
