import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/augmix/image.js';
import { ALL_OPS, type OpName } from '../../../src/augmix/op-names.js';
import { applyOp, OP_FUNCTIONS } from '../../../src/augmix/ops/index.js';
import { greyImage } from '../../helpers/literal-image.js';

const image = greyImage([
  [1, 2, 3],
  [4, 5, 6],
]);

describe('applyOp: validation (the rules of the harness record.py)', () => {
  it.each<[OpName, unknown, string]>([
    ['autocontrast', 0, 'Expected the value of autocontrast to be null (it takes no value) but received 0'],
    ['equalize', 1.5, 'Expected the value of equalize to be null (it takes no value) but received 1.5'],
    ['posterize', 9, 'Expected the value of posterize to be an integer in 0..8 (bits kept) but received 9'],
    ['posterize', -1, 'Expected the value of posterize to be an integer in 0..8 (bits kept) but received -1'],
    [
      'posterize',
      3.5,
      'Expected the value of posterize to be an integer in 0..8 (bits kept) but received 3.5',
    ],
    ['solarize', 128.5, 'Expected the value of solarize to be an integer but received 128.5'],
    ['translate_x', 0.5, 'Expected the value of translate_x to be an integer but received 0.5'],
    [
      'translate_y',
      Number.POSITIVE_INFINITY,
      'Expected the value of translate_y to be an integer but received Infinity',
    ],
    ['rotate', Number.NaN, 'Expected the value of rotate to be a finite number but received NaN'],
    [
      'shear_x',
      Number.NEGATIVE_INFINITY,
      'Expected the value of shear_x to be a finite number but received -Infinity',
    ],
    ['shear_y', null, 'Expected the value of shear_y to be a finite number but received null'],
    ['solarize', null, 'Expected the value of solarize to be an integer but received null'],
    [
      'color',
      -0.1,
      'Expected the value of color to be a finite number >= 0 (1 = identity) but received -0.1',
    ],
    ['sharpness', Number.NaN, 'Expected the value of sharpness to be a finite number but received NaN'],
    ['brightness', '1', 'Expected the value of brightness to be a finite number but received "1"'],
  ])('rejects %s with value %s', (op, value, message) => {
    expect(() => applyOp(image, op, value as number | null)).toThrow(message);
  });

  it('rejects unknown op names, listing the allowed ones', () => {
    expect(() => applyOp(image, 'blur' as OpName, 1)).toThrow(
      `Expected op to be one of ${ALL_OPS.join(', ')} but received "blur"`,
    );
  });

  it('rejects malformed images', () => {
    const bad = { width: 2, height: 2, data: new Uint8Array(11) };
    expect(() => applyOp(bad, 'posterize', 4)).toThrow(
      'Expected image.data.length to be width * height * 3 = 12',
    );
  });

  it('accepts what the harness accepts: fractional and negative degrees, negative shifts, huge thresholds', () => {
    for (const [op, value] of [
      ['rotate', -12.7],
      ['rotate', 1e6],
      ['translate_x', -1000],
      ['solarize', -5],
      ['solarize', 300],
      ['shear_y', -1.3],
      ['contrast', 0],
      ['posterize', 0],
    ] as const) {
      expect(applyOp(image, op, value).width).toBe(3);
    }
  });
});

/** A small deterministic generator (mulberry32) for the property tests. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(op: OpName, next: () => number, image: RgbImage): number | null {
  switch (op) {
    case 'autocontrast':
    case 'equalize':
      return null;
    case 'posterize':
      return Math.floor(next() * 9);
    case 'solarize':
      return Math.floor(next() * 320) - 10;
    case 'rotate':
      return next() < 0.5 ? Math.floor(next() * 721) - 360 : (next() - 0.5) * 720;
    case 'shear_x':
    case 'shear_y':
      return (next() - 0.5) * 3;
    case 'translate_x':
      return Math.floor((next() - 0.5) * 2.5 * image.width);
    case 'translate_y':
      return Math.floor((next() - 0.5) * 2.5 * image.height);
    default:
      return next() * 3;
  }
}

describe('applyOp: properties', () => {
  it('never mutates its input, keeps the size and returns a fresh buffer (every op, random values and sizes)', () => {
    const next = prng(20240601);
    for (let trial = 0; trial < 40; trial++) {
      const width = 1 + Math.floor(next() * 9);
      const height = 1 + Math.floor(next() * 9);
      const data = new Uint8Array(width * height * 3).map(() => Math.floor(next() * 256));
      const input: RgbImage = { width, height, data };
      const before = data.slice();
      for (const op of ALL_OPS) {
        const value = randomValue(op, next, input);
        const out = applyOp(input, op, value);
        expect(input.data, `${op} ${value} mutated a ${width}x${height} input`).toEqual(before);
        expect([out.width, out.height, out.data.length]).toEqual([width, height, data.length]);
        expect(out.data).not.toBe(input.data);
        expect(out.data).toBeInstanceOf(Uint8Array);
      }
    }
  });

  it('is deterministic and matches the op functions it dispatches to', () => {
    for (const op of ALL_OPS) {
      const value = op === 'autocontrast' || op === 'equalize' ? null : 1;
      expect(applyOp(image, op, value).data).toEqual(OP_FUNCTIONS[op](image, value ?? 0).data);
      expect(applyOp(image, op, value).data).toEqual(applyOp(image, op, value).data);
    }
  });
});
