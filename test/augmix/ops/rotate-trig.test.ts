import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonMod360, rotationCosSin } from '../../../src/augmix/ops/index.js';
import { GOLDEN_DIR } from '../../helpers/golden.js';

// rotate-trig.json: CPython's round(cos(-radians(a % 360.0)), 15), round(sin(...), 15), round(-sin(...), 15).
interface TrigFixture {
  integer: [number, number, number][];
  fractional: { angle: number; cosSin: [number, number, number] }[];
}
const trig = JSON.parse(readFileSync(join(GOLDEN_DIR, 'rotate-trig.json'), 'utf8')) as TrigFixture;

describe('rotate: rounded cos/sin as Pillow computes them', () => {
  it('matches CPython exactly for all 360 integer angles', () => {
    const mismatches: string[] = [];
    trig.integer.forEach(([cos, sin, negSin], degrees) => {
      const [c, s] = rotationCosSin(degrees);
      if (!Object.is(c, cos) || !Object.is(s, sin) || !Object.is(-s, negSin)) {
        mismatches.push(`${degrees}: got [${c}, ${s}], expected [${cos}, ${sin}]`);
      }
    });
    expect(mismatches).toEqual([]);
  });

  it('matches CPython for the fractional angles of the golden sweeps', () => {
    for (const { angle, cosSin } of trig.fractional) {
      const [c, s] = rotationCosSin(pythonMod360(angle));
      expect([c, s, -s], `angle ${angle}`).toEqual(cosSin);
    }
  });

  it('reduces angles mod 360 with Python semantics', () => {
    expect(pythonMod360(-8)).toBe(352);
    expect(pythonMod360(-360)).toBe(0);
    expect(Object.is(pythonMod360(-0), 0)).toBe(true);
    expect(pythonMod360(725.5)).toBe(5.5);
    expect(pythonMod360(-12.7)).toBe(-12.7 + 360);
    expect(pythonMod360(-1e-20)).toBe(360);
  });
});
