import { afterEach, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import {
  type AffineMatrix,
  affineBilinear,
  affineBilinearReference,
} from '../../../src/augmix/ops/affine.js';
import { allocateImageDataToOverwrite, recycleImageData } from '../../../src/augmix/ops/image-buffers.js';
import { rotate } from '../../../src/augmix/ops/rotate.js';
import { shearX, shearY, translateX, translateY } from '../../../src/augmix/ops/shear-translate.js';
import { simdKernels, useSimdKernels } from '../../../src/augmix/ops/simd/kernels.js';
import { uniformNoise as noise, random } from '../../helpers/noise-image.js';

// The WebAssembly geometry (simd/kernels.wat: withinRows, withinColumns, affineRows, with their 4-pixel runs,
// pixel pairs and single pixels) against the TypeScript reference, byte for byte, on many random and
// adversarial matrices and on sizes that leave every kind of remainder (widths 1-4, odd, not a multiple of 4).

afterEach(() => useSimdKernels(true));

/** Smooth gradients with a few saturated pixels: interpolations land near integers more often than on noise. */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 7) & 255;
      data[i + 1] = (y * 5 + x) & 255;
      data[i + 2] = (x + y) % 3 === 0 ? 255 : 0;
    }
  }
  return { width, height, data };
}

const SIZES: readonly [number, number][] = [
  [1, 1],
  [2, 3],
  [3, 2],
  [4, 1],
  [1, 4],
  [5, 4],
  [17, 5],
  [5, 17],
  [9, 9],
  [300, 7],
  [7, 300],
  [64, 48],
  [224, 224],
];

function rotationMatrix(degrees: number, width: number, height: number): AffineMatrix {
  const phi = -(degrees * (Math.PI / 180));
  const [cos, sin] = [Math.cos(phi), Math.sin(phi)];
  const [cx, cy] = [width / 2, height / 2];
  return [cos, sin, cos * -cx + sin * -cy + cx, -sin, cos, -sin * -cx + cos * -cy + cy];
}

/** Matrices of every kind: rows kept (shear_x, translate_x), columns kept (shear_y, translate_y), general. */
function randomMatrices(width: number, height: number, next: () => number): AffineMatrix[] {
  const s = (next() - 0.5) * 0.6;
  const t = (next() - 0.5) * 2.5 * width;
  const ty = (next() - 0.5) * 2.5 * height;
  const sign = next() < 0.5 ? -1 : 1;
  return [
    [1, s, 0, 0, 1, 0],
    [1, 0, 0, s, 1, 0],
    [1, s * 1e-3, 0, 0, 1, 0],
    [1, 0, 0, s * 1e-3, 1, 0],
    [1, 0, t, 0, 1, 0],
    [1, 0, 0, 0, 1, ty],
    [1, s, t, 0, 1, 0],
    [1, 0, 0, s, 1, ty],
    [next() * 2, s, t, 0, 1, 0], // rows kept, columns scaled
    [1, 0, 0, s, next() * 2, ty], // columns kept, rows scaled
    rotationMatrix(sign * next() * 9, width, height), // the default severity's angles (4-pixel runs)
    rotationMatrix(sign * next() * 1e-3, width, height), // tiny
    rotationMatrix(sign * (20 + next() * 10), width, height), // 20-30 degrees
    rotationMatrix((next() - 0.5) * 720, width, height),
    [1 + (next() - 0.5) * 0.02, (next() - 0.5) * 0.2, t * 0.1, (next() - 0.5) * 0.2, 1, ty * 0.1],
    [(next() - 0.5) * 4, (next() - 0.5) * 4, t, (next() - 0.5) * 4, (next() - 0.5) * 4, ty],
  ];
}

/** Matrices whose sample points fall exactly on pixel edges, centres and the image border, or nowhere. */
function adversarialMatrices(width: number, height: number): AffineMatrix[] {
  return [
    [1, 0, 0.5, 0, 1, 0], // u = X + 0.5: every fraction exactly 0 after the half-pixel shift
    [1, 0, -0.5, 0, 1, 0],
    [1, 0, 0, 0, 1, 0.5],
    [1, 0, 0, 0, 1, -0.5],
    [1, 2, 0, 0, 1, 0], // integer shifts of whole rows
    [1, 0, 0, -2, 1, 0],
    [1, 0.5, 0, 0, 1, 0], // shifts by k/4, k/2: fractions 0, 0.25, 0.5, 0.75
    [1, 0, 0, 0.25, 1, 0],
    [1, 0, width - 0.5, 0, 1, 0], // only the last half pixel in bounds
    [1, 0, -(width - 0.5), 0, 1, 0],
    [1, 0, 0, 0, 1, height - 0.25],
    [1, 0, 1e-12, 0, 1, 0], // just past pixel edges
    [1, 0, -1e-12, 0, 1, 0],
    [1, 0, 0, 0, 1, 1 - 2 ** -40],
    [0, 1, 0, 1, 0, 0], // transpose (exact, non-square: partly black)
    [0, -1, width, 1, 0, 0],
    [-1, 0, width, 0, -1, height], // 180 degrees through the general path
    [1, 0, 0, 0, 1, 0], // identity through the general path's neighbours (never taken by the ops)
    [0.5, 0, 0, 0, 0.5, 0], // 2x magnification: runs of equal floors
    [2, 0, 0, 0, 2, 0],
    [1, 1e-9, 0, 1e-9, 1, 0],
    [Number.NaN, 0, 0, 0, 1, 0],
    [1, 0, 0, 0, 1, Number.NaN],
    [1, 0, Number.POSITIVE_INFINITY, 0, 1, 0],
    [0.9, 0.1, Number.NEGATIVE_INFINITY, -0.1, 0.9, 0],
    [1, 0, 1e9, 0, 1, 0], // all black
    [1, 0, 0, 0, 1, -1e9],
  ];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

function firstDifference(a: Uint8Array, b: Uint8Array): string {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return `byte ${i} (pixel ${Math.floor(i / 3)}): ${a[i]} vs reference ${b[i]}`;
  }
  return 'lengths differ';
}

describe('WebAssembly bilinear geometry gives the TypeScript reference bytes', () => {
  it('runs the WebAssembly kernels here (the comparisons below are not reference against itself)', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it('on random matrices of every kind at sizes with every remainder', () => {
    const next = random(20261203);
    const failures: string[] = [];
    for (const [width, height] of SIZES) {
      const images = [noise(width, height, next), gradient(width, height)];
      const trials = width * height > 10_000 ? 2 : 6;
      for (let trial = 0; trial < trials; trial++) {
        for (const matrix of randomMatrices(width, height, next)) {
          for (const image of images) {
            const simd = affineBilinear(image, matrix);
            const reference = affineBilinearReference(image, matrix);
            if (!sameBytes(simd.data, reference.data)) {
              failures.push(`${width}x${height} [${matrix}]: ${firstDifference(simd.data, reference.data)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('on sample points exactly on pixel edges and borders, and on NaN and infinite matrices', () => {
    const next = random(99);
    const failures: string[] = [];
    for (const [width, height] of SIZES) {
      const image = noise(width, height, next);
      for (const matrix of adversarialMatrices(width, height)) {
        const simd = affineBilinear(image, matrix);
        const reference = affineBilinearReference(image, matrix);
        if (!sameBytes(simd.data, reference.data)) {
          failures.push(`${width}x${height} [${matrix}]: ${firstDifference(simd.data, reference.data)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('through the ops themselves (rotate, shear, fractional translate), kernels on vs off', () => {
    const next = random(5);
    const failures: string[] = [];
    for (const [width, height] of [
      [224, 224],
      [33, 17],
      [300, 7],
    ] as const) {
      const image = noise(width, height, next);
      const cases: [string, (im: RgbImage) => RgbImage][] = [];
      for (let k = 0; k < 12; k++) {
        const degrees = (next() - 0.5) * (k < 8 ? 18 : 60);
        const s = (next() - 0.5) * 0.6;
        const t = (next() - 0.5) * width;
        cases.push([`rotate ${degrees}`, (im) => rotate(im, degrees)]);
        cases.push([`rotate ${Math.round(degrees)}`, (im) => rotate(im, Math.round(degrees))]);
        cases.push([`shear_x ${s}`, (im) => shearX(im, s)]);
        cases.push([`shear_y ${s}`, (im) => shearY(im, s)]);
        cases.push([`translate_x ${t}`, (im) => translateX(im, t)]);
        cases.push([`translate_y ${t}`, (im) => translateY(im, t)]);
      }
      for (const [name, op] of cases) {
        useSimdKernels(true);
        const simd = op(image);
        useSimdKernels(false);
        const reference = op(image);
        if (!sameBytes(simd.data, reference.data)) {
          failures.push(`${name} on ${width}x${height}: ${firstDifference(simd.data, reference.data)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('overwrites every byte of a recycled output buffer (which comes back not zeroed)', () => {
    const image = noise(37, 11, random(8));
    const dirty = new Uint8Array(image.data.length).fill(0xa5);
    recycleImageData(dirty);
    expect(allocateImageDataToOverwrite(dirty.length)).toBe(dirty);
    expect(dirty[0]).toBe(0xa5);
    // matrices with black pixels in every kernel: shear_x, shear_y, rotate (corners)
    for (const matrix of [
      [1, 0.3, -2.5, 0, 1, 0],
      [1, 0, 0, -0.3, 1, 2.5],
      rotationMatrix(29, 37, 11),
    ] as AffineMatrix[]) {
      recycleImageData(new Uint8Array(image.data.length).fill(0xa5));
      const simd = affineBilinear(image, matrix);
      expect(sameBytes(simd.data, affineBilinearReference(image, matrix).data), `[${matrix}]`).toBe(true);
    }
  });

  it('leaves its input unchanged and returns a buffer of its own', () => {
    const image = noise(31, 9, random(3));
    const before = image.data.slice();
    for (const matrix of [rotationMatrix(7, 31, 9), [1, 0.2, 0, 0, 1, 0] as AffineMatrix]) {
      const out = affineBilinear(image, matrix);
      expect(out.data).not.toBe(image.data);
      expect(out.data.length).toBe(image.data.length);
    }
    expect(sameBytes(image.data, before)).toBe(true);
  });
});
