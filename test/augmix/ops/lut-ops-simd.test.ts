import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import {
  applyChannelLuts,
  autocontrast,
  channelHistograms,
  equalize,
  mapBytes,
  posterize,
  solarize,
} from '../../../src/augmix/ops/lut-ops.js';
import { simdKernels, useSimdKernels } from '../../../src/augmix/ops/simd/kernels.js';

// The WebAssembly look-up-table kernels (lut-ops-simd.ts) against the TypeScript loops of lut-ops.ts, byte
// for byte: sizes whose byte counts are not multiples of 16 (the vector step) or 12 (the 4-pixel group),
// images larger than one chunk of module memory, and data that does not start on a word boundary.

afterEach(() => useSimdKernels(true));

/** A deterministic pseudo-random generator (xorshift32), so that failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/**
 * Noise with each channel in its own random range and skewed towards its low end, so autocontrast
 * stretches and equalize has uneven histograms (full-range uniform noise would leave both near identity).
 */
function channelNoise(width: number, height: number, next: () => number): RgbImage {
  const ranges = [0, 1, 2].map(() => {
    const lo = Math.floor(next() * 120);
    return [lo, lo + Math.floor(next() * (255 - lo))] as const;
  });
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    const [lo, hi] = ranges[i % 3]!;
    data[i] = lo + Math.floor(next() ** 2 * (hi - lo + 1));
  }
  return { width, height, data };
}

/** The same pixels in a buffer that starts one byte into its ArrayBuffer (not word-aligned). */
function misaligned(image: RgbImage): RgbImage {
  const data = new Uint8Array(image.data.length + 1).subarray(1);
  data.set(image.data);
  return { width: image.width, height: image.height, data };
}

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
  expect(simd.length, what).toBe(reference.length);
  let first = -1;
  for (let i = 0; i < simd.length && first < 0; i++) if (simd[i] !== reference[i]) first = i;
  expect(first, `${what}: first differing index`).toBe(-1);
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
