import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import { float32Applies, mixImages } from '../../../src/augmix/mix.js';
import {
  type AffineMatrix,
  affineBilinear,
  affineBilinearReference,
} from '../../../src/augmix/ops/affine.js';
import { moduleBytes, simdKernels, useSimdKernels } from '../../../src/augmix/ops/simd/kernels.js';
import { KERNELS_WASM_BASE64 } from '../../../src/augmix/ops/simd/kernels-wasm.js';
import { uniformNoise as noise, random } from '../../helpers/noise-image.js';

afterEach(() => useSimdKernels(true));

const SIZES: readonly [number, number][] = [
  [1, 1],
  [2, 3],
  [7, 5],
  [32, 32],
  [33, 17],
  [64, 48],
];

describe('WebAssembly SIMD kernels', () => {
  it('load on this Node (WebAssembly SIMD is available)', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it("decode the module's base64 the same with Node's Buffer and without it (atob)", () => {
    const withBuffer = moduleBytes();
    vi.stubGlobal('Buffer', undefined);
    let withAtob: Uint8Array;
    try {
      withAtob = moduleBytes();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(Buffer.isBuffer(withBuffer)).toBe(true);
    expect(Buffer.isBuffer(withAtob)).toBe(false);
    expect([...withAtob]).toEqual([...withBuffer]);
    expect(withBuffer.length).toBe((KERNELS_WASM_BASE64.replace(/=+$/, '').length * 3) >> 2);
    expect([...withBuffer.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]); // "\0asm"
  });

  it('sample exactly like the TypeScript reference for every kind of affine matrix', () => {
    const next = random(7);
    for (const [width, height] of SIZES) {
      const image = noise(width, height, next);
      for (let trial = 0; trial < 12; trial++) {
        const s = (next() - 0.5) * 0.9;
        const t = (next() - 0.5) * width;
        const angle = (next() - 0.5) * 2 * Math.PI;
        const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
        const matrices: AffineMatrix[] = [
          [1, s, 0, 0, 1, 0], // shear_x
          [1, 0, 0, s, 1, 0], // shear_y
          [1, 0, t + 0.37, 0, 1, 0], // fractional translate_x
          [1, 0, 0, 0, 1, t - 0.61], // fractional translate_y
          [1, 0, 0, s, 1.1, -0.4], // u = X with e != 1 (the column kernel; shear_y goes through the row kernel)
          [cos, sin, width / 2 - (cos * width) / 2 - (sin * height) / 2, -sin, cos, height / 2], // rotate-like
          [1.7, -0.4, 3.3, 0.25, 0.8, -2.1], // general, partly outside
        ];
        for (const matrix of matrices) {
          const simd = affineBilinear(image, matrix);
          const reference = affineBilinearReference(image, matrix);
          expect(
            Buffer.from(simd.data).equals(Buffer.from(reference.data)),
            `${width}x${height} ${matrix}`,
          ).toBe(true);
        }
      }
    }
  });

  it('shear by integer runs exactly like the float64 reference, on smooth and on noisy images', () => {
    // withinRows and withinColumns interpolate runs of 4 pixels in integers and recompute a run in float64 when
    // an integer bound is inconclusive: rare on a smooth image, frequent on noise (large neighbour differences)
    const next = random(31);
    const [width, height] = [96, 40];
    const smooth = smoothImage(width, height);
    for (const image of [smooth, noise(width, height, next)]) {
      for (let trial = 0; trial < 40; trial++) {
        const s = trial === 0 ? 0.5 : (next() - 0.5) * 0.6;
        for (const matrix of [
          [1, s, 0, 0, 1, 0],
          [1, 0, 0, s, 1, 0],
        ] as AffineMatrix[]) {
          const simd = affineBilinear(image, matrix);
          const reference = affineBilinearReference(image, matrix);
          expect(Buffer.from(simd.data).equals(Buffer.from(reference.data)), `${matrix}`).toBe(true);
        }
      }
      // offsets just off an integer: x + 0.5 + c rounds differently in different binades of x (the fraction
      // 1 - 2^-50 becomes a whole 1 from x = 63 on), which a 16-pixel stretch must not straddle
      // whole offsets: every fraction is exactly 0 (the stretches copy their source bytes)
      for (const matrix of [
        [1, 0, 0, 0, 1, 0],
        [1, 0, 3, 0, 1, 0],
        [1, 0, 0, 0, 1, -2],
      ] as AffineMatrix[]) {
        const simd = affineBilinear(image, matrix);
        expect(Buffer.from(simd.data).equals(Buffer.from(affineBilinearReference(image, matrix).data))).toBe(
          true,
        );
      }
      for (const c of [1 - 2 ** -50, -(2 ** -49), 3 + 2 ** -47, 0.5 - 2 ** -46]) {
        for (const matrix of [
          [1, 0, c, 0, 1, 0],
          [1, c / 64, 0, 0, 1, 0],
        ] as AffineMatrix[]) {
          const simd = affineBilinear(image, matrix);
          const reference = affineBilinearReference(image, matrix);
          expect(Buffer.from(simd.data).equals(Buffer.from(reference.data)), `${matrix}`).toBe(true);
        }
      }
    }
  });

  it('rotate by float32 runs exactly like the float64 reference: smooth, flat-patched and noisy images', () => {
    // affineRows interpolates 4-pixel runs of near-identity maps in float32 and recomputes a run in float64
    // when a value lies near a rounding edge without its 4 neighbours being equal
    const next = random(37);
    const [width, height] = [96, 40];
    const smooth = smoothImage(width, height);
    // few levels: many equal neighbourhoods (exact in float32) and many exact ties between unequal ones
    const patched = { ...smooth, data: smooth.data.map((v) => (v >> 6) * 85) };
    for (const image of [smooth, patched, noise(width, height, next)]) {
      for (let trial = 0; trial < 40; trial++) {
        const angle = trial === 0 ? Math.PI / 30 : (next() - 0.5) * 0.42;
        const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
        const [cx, cy] = [width / 2, height / 2];
        const matrix: AffineMatrix = [
          cos,
          sin,
          cx - cos * cx - sin * cy,
          -sin,
          cos,
          cy + sin * cx - cos * cy,
        ];
        const simd = affineBilinear(image, matrix);
        const reference = affineBilinearReference(image, matrix);
        expect(Buffer.from(simd.data).equals(Buffer.from(reference.data)), `angle ${angle}`).toBe(true);
      }
    }
  });

  it('rotate-like maps whose float32 value rounds past a float64 edge go back to float64', () => {
    // v steps a quarter row per pixel (a source row change inside every 4-pixel run) and its fraction is 1 - 2^-30
    // at every fourth pixel: in float32 that fraction is 1, so on rows alternating 0 and 200 the float32 value is
    // 200 where float64 truncates 199.99999981 to 199; the kernel must see it is near an edge and recompute
    const [width, height] = [64, 16];
    const image: RgbImage = {
      width,
      height,
      data: Uint8Array.from({ length: width * height * 3 }, (_, i) => (Math.floor(i / 3 / width) % 2) * 200),
    };
    for (const f of [0.875 - 2 ** -30, 0.625 - 2 ** -29, 0.375 - 2 ** -31]) {
      for (const d of [0.25, -0.25]) {
        const matrix: AffineMatrix = [1, 0, 0.3, d, 1, f];
        const simd = affineBilinear(image, matrix);
        const reference = affineBilinearReference(image, matrix);
        expect(Buffer.from(simd.data).equals(Buffer.from(reference.data)), `${matrix}`).toBe(true);
      }
    }
  });

  it('mix exactly like the TypeScript loops (width 3), at every length and at the rounding edges', () => {
    const next = random(11);
    for (const [width, height] of [...SIZES, [300, 700] as [number, number]]) {
      const original = noise(width, height, next);
      const chains = [noise(width, height, next), noise(width, height, next), noise(width, height, next)];
      const weightSets = [
        [next(), next(), next()],
        [0.5, 0.25, 0.25],
        [1, 0, 0],
        [0.2, 0.3, 0.5],
      ];
      for (const raw of weightSets) {
        const sum = raw.reduce((a, b) => a + b, 0);
        const weights = raw.map((w) => w / sum);
        for (const m of [next(), 0, 1, 0.5]) {
          useSimdKernels(true);
          const simd = mixImages(original, chains, weights, m);
          useSimdKernels(false);
          const reference = mixImages(original, chains, weights, m);
          expect(
            Buffer.from(simd.data).equals(Buffer.from(reference.data)),
            `${width}x${height} m=${m}`,
          ).toBe(true);
        }
      }
    }
  });

  it('mix in float32 exactly like the float64 loops, near-tie values included', () => {
    const next = random(23);
    const [width, height] = [301, 199];
    // values that put many mixes on or next to a rounding edge: few distinct levels, simple weights
    const levels = (image: RgbImage) => ({ ...image, data: image.data.map((v) => (v >> 5) * 37) });
    const images = [noise(width, height, next), noise(width, height, next)];
    const inputs = [...images, ...images.map(levels)];
    let compared = 0;
    for (let trial = 0; trial < 24; trial++) {
      const raw =
        trial % 3 === 0 ? [1, 1, 1] : trial % 3 === 1 ? [next(), next(), next()] : [1, 2, 1 + next() * 1e-9];
      const sum = raw.reduce((a, b) => a + b, 0);
      const weights = raw.map((w) => w / sum);
      const m = [0.5, 1 / 3, next(), 0.25 + next() * 1e-12][trial % 4]!;
      expect(float32Applies(weights[0]!, weights[1]!, weights[2]!, 1 - m, m)).toBe(true);
      const pick = (k: number) => inputs[(trial + k) % inputs.length]!;
      const [original, chains] = [pick(0), [pick(1), pick(2), pick(3)]];
      useSimdKernels(true);
      const simd = mixImages(original, chains, weights, m);
      useSimdKernels(false);
      const reference = mixImages(original, chains, weights, m);
      expect(Buffer.from(simd.data).equals(Buffer.from(reference.data)), `trial ${trial}`).toBe(true);
      compared += reference.data.length;
    }
    expect(compared).toBe(24 * width * height * 3);
  });

  it('mix in float64 when the float32 bound does not hold (weights outside [0, 1] or summing over 1)', () => {
    expect(float32Applies(0.5, 0.3, 0.2, 0.5, 0.5)).toBe(true);
    expect(float32Applies(0.6, 0.3, 0.2, 0.5, 0.5)).toBe(false);
    expect(float32Applies(-0.1, 0.6, 0.5, 0.5, 0.5)).toBe(false);
    expect(float32Applies(0.5, 0.3, 0.2, -0.5, 1.5)).toBe(false);
    const next = random(29);
    const original = noise(64, 48, next);
    const chains = [noise(64, 48, next), noise(64, 48, next), noise(64, 48, next)];
    for (const [weights, m] of [
      [[0.9, 0.6, -0.2], 0.7],
      [[0.5, 0.5, 0.5], 0.4],
      [[0.2, 0.3, 0.5], 1.25],
    ] as const) {
      useSimdKernels(true);
      const simd = mixImages(original, chains, weights, m);
      useSimdKernels(false);
      expect(Buffer.from(simd.data).equals(Buffer.from(mixImages(original, chains, weights, m).data))).toBe(
        true,
      );
    }
  });

  it('are compiled from the committed kernels.wat (the base64 module is up to date)', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});

/** A smooth colour pattern (neighbour differences of a few levels). */
function smoothImage(width: number, height: number): RgbImage {
  return {
    width,
    height,
    data: Uint8Array.from({ length: width * height * 3 }, (_, i) => {
      const [x, y, ch] = [Math.floor(i / 3) % width, Math.floor(i / 3 / width), i % 3];
      return Math.round(127 + 120 * Math.sin(x / 7 + ch) * Math.cos(y / 5));
    }),
  };
}
