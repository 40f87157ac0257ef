import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import { ALL_OPS, type OpName } from '../../../src/augmix/op-names.js';
import { PAIR_TABLE_MIN_VALUES } from '../../../src/augmix/ops/blend.js';
import { OP_FUNCTIONS } from '../../../src/augmix/ops/index.js';
import { describeDifference } from '../../helpers/golden.js';
import { REFERENCE_OPS } from './reference-ops.js';

// The optimised ops (word-at-a-time LUTs and histograms, blend tables, fused sharpness, row-wise geometry)
// against the literal reference on inputs that reach every path: images big enough for the blend
// tables, pixel counts that leave a tail after the 4-pixel word groups, data that is not word-aligned, and
// values on both sides of every special case. The goldens pin the reference to Pillow; this pins the fast
// paths to the reference, with tolerance 0.

/** A deterministic photo-like image (smooth fields, edges, texture, noise) of the given size. */
function photoLike(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let state = seed >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const noise = (state >>> 24) / 16 - 8;
      const edge = x > width / 2 && y < (2 * height) / 3 ? 70 : 0;
      const i = (y * width + x) * 3;
      data[i] = clampByte(40 + (150 * x) / width + 20 * Math.sin(y / 5) + noise);
      data[i + 1] = clampByte(30 + (170 * y) / height - edge + noise);
      data[i + 2] = clampByte(200 - edge + 25 * Math.cos((x + y) / 7) + noise);
    }
  }
  return { width, height, data };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function clampByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

/** The same pixels in a Uint8Array that starts 1 byte into its buffer (word access impossible). */
function unaligned(image: RgbImage): RgbImage {
  const buffer = new Uint8Array(image.data.length + 1);
  buffer.set(image.data, 1);
  return { width: image.width, height: image.height, data: buffer.subarray(1) };
}

const noisy = ((): RgbImage => {
  const data = new Uint8Array(101 * 67 * 3);
  for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i + 1, 2654435761) >>> 24) & 0xff;
  return { width: 101, height: 67, data };
})();

const IMAGES: readonly (readonly [string, RgbImage])[] = [
  ['photo-like 150x150 (blend tables, whole word groups)', photoLike(150, 150, 7)],
  ['photo-like 257x90 (blend tables, 2-pixel tail)', photoLike(257, 90, 11)],
  ['photo-like 150x150, not word-aligned', unaligned(photoLike(150, 150, 7))],
  ['noise 101x67 (per-value blends, 3-pixel tail)', noisy],
  ['photo-like 3x3', photoLike(3, 3, 5)],
];

const VALUES: Readonly<Record<OpName, readonly (number | null)[]>> = {
  autocontrast: [null],
  equalize: [null],
  posterize: [0, 1, 3, 4, 7, 8],
  solarize: [-5, 0, 1, 128, 200, 255, 256, 300],
  rotate: [0, 1, -8, 7, 29, 12.5, 45, 90, 180, 270, -90, 359.9],
  shear_x: [0, 0.003, -0.05, 0.09, 0.3, -0.3],
  shear_y: [0, 0.003, -0.05, 0.09, 0.3, -0.3],
  translate_x: [0, 5, -7, 3.5, -0.25, 149, -1000],
  translate_y: [0, 5, -7, 3.5, -0.25, 89, 1000],
  color: [0, 0.118, 0.4, 0.64, 1, 1.7, 3.5],
  contrast: [0, 0.118, 0.4, 0.64, 1, 1.7, 3.5],
  brightness: [0, 0.118, 0.4, 0.64, 1, 1.7, 3.5],
  sharpness: [0, 0.118, 0.4, 0.64, 1, 1.7, 3.5],
};

describe('ops: fast paths give the literal reference bytes (tolerance 0)', () => {
  it('uses images on both sides of the blend-table threshold', () => {
    const sizes = IMAGES.map(([, image]) => image.data.length);
    expect(sizes.some((n) => n >= PAIR_TABLE_MIN_VALUES)).toBe(true);
    expect(sizes.some((n) => n < PAIR_TABLE_MIN_VALUES)).toBe(true);
    expect(IMAGES.some(([, image]) => image.data.byteOffset % 4 !== 0)).toBe(true);
  });

  for (const op of ALL_OPS) {
    it(`${op} over ${VALUES[op].length} values on ${IMAGES.length} images`, () => {
      const failures: string[] = [];
      for (const [name, image] of IMAGES) {
        const before = image.data.slice();
        for (const value of VALUES[op]) {
          const expected = REFERENCE_OPS[op](image, value ?? 0);
          const diff = describeDifference(OP_FUNCTIONS[op](image, value ?? 0), expected);
          if (diff) failures.push(`${op} ${value} on ${name}: ${diff}`);
        }
        // a byte loop: toEqual on ~70k-element arrays would dominate the test's time
        expect(sameBytes(image.data, before), `${op} modified its input ${name}`).toBe(true);
      }
      expect(failures).toEqual([]);
    });
  }
});
