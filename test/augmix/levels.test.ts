import { describe, expect, it } from 'vitest';
import {
  drawOpValue,
  floatParameter,
  intParameter,
  SIGN_DRAWS,
  sampleLevel,
  valueFromLevel,
} from '../../src/augmix/levels.js';
import { ALL_OPS, type OpName } from '../../src/augmix/op-names.js';
import { LegacyRandomState } from '../../src/augmix/random/index.js';

/**
 * [op, level, negate, [W, H], value] as the harness's `levels.value_from_level` (what `replay.py map` prints)
 * returns it. Several levels sit where the official evaluation order `(l * max) / 10` truncates differently
 * from the algebraically equal `l * (max / 10)` (e.g. rotate 1.6666666666666665: 4, not 5).
 */
const TABLE: [OpName, number, boolean, [number, number], number | null][] = [
  ['autocontrast', 5.0, false, [32, 32], null],
  ['equalize', 0.1, true, [32, 32], null],
  ['posterize', 0.1, false, [32, 32], 4],
  ['posterize', 2.5, false, [32, 32], 3],
  ['posterize', 2.4999999999999996, false, [32, 32], 4],
  ['posterize', 9.999, false, [32, 32], 1],
  ['solarize', 0.1, false, [32, 32], 254],
  ['solarize', 0.11718749999999999, false, [32, 32], 254],
  ['solarize', 3.0, false, [32, 32], 180],
  ['solarize', 9.999, false, [32, 32], 1],
  ['rotate', 0.2, true, [32, 32], 0],
  ['rotate', 1.6666666666666665, false, [32, 32], 4],
  ['rotate', 3.333333333333333, true, [32, 32], -9],
  ['rotate', 9.999, true, [32, 32], -29],
  ['shear_x', 0.10113231069171438, false, [32, 32], 0.003033969320751431],
  ['shear_y', 2.9, true, [32, 32], -0.087],
  ['translate_x', 0.40178571428571425, false, [224, 224], 3],
  ['translate_y', 0.40178571428571425, true, [224, 224], -3],
  ['translate_x', 2.9, false, [300, 200], 29],
  ['translate_y', 2.9, false, [300, 200], 19],
  ['translate_x', 2.9, true, [300, 200], -29],
  ['translate_y', 9.99, true, [300, 200], -66],
  ['translate_x', 9.99, false, [1, 1], 0],
  ['translate_x', 5, false, [7, 1000], 1],
  ['translate_y', 5, false, [7, 1000], 166],
  ['color', 3.0930924690552137, false, [32, 32], 0.6567566444299385],
  ['contrast', 0.1, false, [32, 32], 0.11800000000000001],
  ['brightness', 10, false, [32, 32], 1.9000000000000001],
  ['sharpness', 5.5, true, [32, 32], 1.09],
];

describe('valueFromLevel (official level mapping)', () => {
  it.each(TABLE)('%s level %s negate %s size %j -> %s', (op, level, negate, [width, height], expected) => {
    const value = valueFromLevel(op, level, negate, { width, height });
    expect(Object.is(value, expected)).toBe(true);
  });

  it('covers every op', () => {
    expect(new Set(TABLE.map(([op]) => op))).toEqual(new Set(ALL_OPS));
  });

  it('never produces -0 for integer ops', () => {
    expect(Object.is(valueFromLevel('translate_x', 0.1, true, { width: 32, height: 32 }), 0)).toBe(true);
    expect(Object.is(valueFromLevel('rotate', 0.1, true, { width: 32, height: 32 }), 0)).toBe(true);
  });

  it('int and float parameters evaluate (l * max) / 10 in float64', () => {
    expect(intParameter(1.6666666666666665, 30)).toBe(4);
    expect(Math.trunc(1.6666666666666665 * 3)).toBe(5);
    expect(floatParameter(0.10113231069171438, 0.3)).toBe(0.003033969320751431);
    expect(0.10113231069171438 * 0.03).not.toBe(0.003033969320751431);
  });
});

describe('drawOpValue (official RNG consumption)', () => {
  const size = { width: 300, height: 200 };

  it('draws nothing for autocontrast and equalize', () => {
    const rng = new LegacyRandomState(1);
    const twin = new LegacyRandomState(1);
    expect(drawOpValue(rng, 'autocontrast', 3, size)).toBeNull();
    expect(drawOpValue(rng, 'equalize', 3, size)).toBeNull();
    expect(rng.random()).toBe(twin.random());
  });

  it.each(ALL_OPS.filter((op) => op !== 'autocontrast' && op !== 'equalize'))(
    '%s: level draw uniform(0.1, severity), then its sign draw',
    (op) => {
      for (let seed = 0; seed < 20; seed++) {
        const rng = new LegacyRandomState(seed);
        const twin = new LegacyRandomState(seed);
        const value = drawOpValue(rng, op, 7, size);
        const level = twin.uniform(0.1, 7);
        const kind = SIGN_DRAWS[op];
        // the sign draw comes after the level draw; uniform() and random() consume the same double
        const negate =
          kind === undefined ? false : (kind === 'uniform' ? twin.uniform() : twin.random()) > 0.5;
        expect(value).toBe(valueFromLevel(op, level, negate, size));
        expect(rng.random()).toBe(twin.random());
      }
    },
  );

  it('uses uniform() for rotate/shear and random() for translate signs', () => {
    expect(SIGN_DRAWS).toEqual({
      rotate: 'uniform',
      shear_x: 'uniform',
      shear_y: 'uniform',
      translate_x: 'random',
      translate_y: 'random',
    });
  });

  it('sampleLevel stays in [0.1, severity)', () => {
    const rng = new LegacyRandomState(5);
    for (let i = 0; i < 2000; i++) {
      const level = sampleLevel(rng, 1);
      expect(level >= 0.1 && level < 1).toBe(true);
    }
  });
});
