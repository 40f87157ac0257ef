import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/augmix/image.js';
import { mixImages, mixValue } from '../../src/augmix/mix.js';

// mixImages reads and writes width-3 mixes a 32-bit word (4 values) at a time when every input starts on a
// 4-byte boundary, and value by value otherwise or for the tail. Both paths must give mixValue exactly.

function pseudoRandom(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state >>> 24;
  }
  return { width, height, data };
}

/** The same pixels starting 1 byte into a larger buffer, so no word view is possible. */
function unaligned(image: RgbImage): RgbImage {
  const buffer = new Uint8Array(image.data.length + 1);
  buffer.set(image.data, 1);
  return { ...image, data: buffer.subarray(1) };
}

function expectedMix(
  original: RgbImage,
  chains: readonly RgbImage[],
  weights: number[],
  m: number,
): Uint8Array {
  return Uint8Array.from(original.data, (o, i) =>
    mixValue(
      o,
      chains.map((c) => c.data[i]!),
      weights,
      m,
    ),
  );
}

describe('mixImages: word-at-a-time width 3 (tolerance 0)', () => {
  const original = pseudoRandom(23, 19, 1); // 1311 values: 327 words and a 3-value tail
  const chains = [pseudoRandom(23, 19, 2), pseudoRandom(23, 19, 3), pseudoRandom(23, 19, 4)];
  const cases: readonly (readonly [string, number[], number])[] = [
    ['convex float32 weights', [0.2131, 0.3337, 0.4532].map(Math.fround), Math.fround(0.6173)],
    ['m = 0 (the original)', [0.5, 0.25, 0.25], 0],
    ['non-convex weights that clamp both ways', [1.7, -0.9, 0.4], 1],
  ];

  for (const [name, weights, m] of cases) {
    it(`equals mixValue on aligned and unaligned inputs: ${name}`, () => {
      const expected = expectedMix(original, chains, weights, m);
      expect(mixImages(original, chains, weights, m).data).toEqual(expected);
      expect(mixImages(unaligned(original), chains, weights, m).data).toEqual(expected);
      expect(mixImages(original, [chains[0]!, unaligned(chains[1]!), chains[2]!], weights, m).data).toEqual(
        expected,
      );
    });
  }
});
