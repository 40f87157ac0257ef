import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/augmix/image.js';
import { mixImages, mixValue } from '../../src/augmix/mix.js';
import { LegacyRandomState } from '../../src/augmix/random/index.js';
import { compareImages, describeDifference, loadInputImage, loadMixCases } from '../helpers/golden.js';

function solid(width: number, height: number, value: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(value) };
}

function noise(width: number, height: number, seed: number): RgbImage {
  const rng = new LegacyRandomState(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.randint(0, 256);
  return { width, height, data };
}

describe('mixValue (the harness rule on literal values)', () => {
  it.each([
    // [orig, chains, weights, m, expected, why]
    [100, [200], [1], 0.5, 150, 'plain convex mix'],
    [0, [1], [1], 0.5, 1, '0.5 rounds up (half-even would give 0)'],
    [2, [3], [1], 0.5, 3, '2.5 rounds up (half-even would give 2)'],
    [10, [11, 11], [0.5, 0.5], 0.5, 11, '10.5 rounds up'],
    [7, [9], [1], 0.25, 8, '7.5 rounds up'],
    [200, [0, 0, 0], [0.2, 0.3, 0.5], 0, 200, 'm = 0 keeps the original'],
    [200, [10, 20, 30], [1, 0, 0], 1, 10, 'm = 1 and a one-hot weight give that chain'],
    [0, [200], [2], 1, 255, 'clamped high (weights not convex)'],
    [0, [200], [-1], 1, 0, 'clamped low (weights not convex)'],
    [0, [0.4], [1], 1, 0, 'below .5 rounds down'],
  ])('orig %s chains %j weights %j m %s -> %s (%s)', (orig, chains, weights, m, expected) => {
    expect(mixValue(orig, chains, weights, m)).toBe(expected);
  });

  it('rounds v + 0.5 down to the integer below (not to nearest-even) for float32 weights', () => {
    const w = [Math.fround(0.2), Math.fround(0.3), Math.fround(0.5)];
    const m = Math.fround(0.42);
    const chains = [13, 250, 77];
    let acc = 0;
    for (let i = 0; i < 3; i++) acc = acc + w[i]! * chains[i]!;
    const v = (1 - m) * 101 + m * acc;
    expect(mixValue(101, chains, w, m)).toBe(Math.floor(v + 0.5));
  });
});

describe('mixImages', () => {
  it('equals mixValue for every channel value, for widths 1..5', () => {
    const original = noise(9, 7, 1);
    for (let k = 1; k <= 5; k++) {
      const chains = Array.from({ length: k }, (_, i) => noise(9, 7, 10 + i));
      const weights = new LegacyRandomState(k).dirichlet(new Array(k).fill(0.7)).map(Math.fround);
      const m = Math.fround(0.37);
      const out = mixImages(original, chains, weights, m);
      const expected = Uint8Array.from(original.data, (o, i) =>
        mixValue(
          o,
          chains.map((c) => c.data[i]!),
          weights,
          m,
        ),
      );
      expect(out.data).toEqual(expected);
      expect([out.width, out.height]).toEqual([9, 7]);
    }
  });

  it('clamps non-convex mixes to 0..255 and rounds ties up, for the unrolled and the general loop', () => {
    const original = solid(2, 1, 0);
    const bright = solid(2, 1, 200);
    for (const chains of [[bright], [bright, bright, bright]]) {
      const k = chains.length;
      expect(mixImages(original, chains, new Array(k).fill(2 / k), 1).data).toEqual(
        new Uint8Array(6).fill(255),
      );
      expect(mixImages(original, chains, new Array(k).fill(-1 / k), 1).data).toEqual(
        new Uint8Array(6).fill(0),
      );
      // v = 0.5 * 0 + 0.5 * 1 = 0.5 -> 1
      expect(
        mixImages(
          original,
          chains.map(() => solid(2, 1, 1)),
          new Array(k).fill(1 / k),
          0.5,
        ).data,
      ).toEqual(new Uint8Array(6).fill(1));
    }
  });

  it('does not modify its inputs', () => {
    const original = noise(4, 4, 2);
    const chain = noise(4, 4, 3);
    const before = [original.data.slice(), chain.data.slice()];
    mixImages(original, [chain], [1], 0.5);
    expect([original.data, chain.data]).toEqual(before);
  });

  it('rejects mismatched inputs with named errors', () => {
    const a = solid(2, 2, 0);
    expect(() => mixImages(a, [a, a], [1], 0.5)).toThrow(
      'Expected weights.length to be the number of chains (2) but received 1',
    );
    expect(() => mixImages(a, [solid(3, 2, 0)], [1], 0.5)).toThrow(
      'Expected chains[0] size to be the original\'s 2x2 but received "3x2"',
    );
    expect(() => mixImages(a, [a], [Number.NaN], 0.5)).toThrow(
      'Expected weights[0] to be a finite number but received NaN',
    );
    expect(() => mixImages(a, [a], [1], Number.POSITIVE_INFINITY)).toThrow(
      /Expected m to be a finite number/,
    );
  });
});

describe('mixImages on the Pillow reference chains (test/fixtures/golden/mix)', () => {
  const cases = loadMixCases();

  it('reproduces every reference mix exactly from the reference chain outputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const failures: string[] = [];
    for (const c of cases) {
      const original = loadInputImage(c.image);
      const out = mixImages(original, c.chains, c.record.weights, c.record.m);
      const diff = describeDifference(out, c.mix);
      if (diff) failures.push(`${c.id}: ${diff}`);
      expect(compareImages(out, c.mix).maxAbsDiff).toBeLessThanOrEqual(1);
    }
    expect(failures).toEqual([]);
  });
});
