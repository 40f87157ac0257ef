import { describe, expect, it } from 'vitest';
import { parseRecord, parseStep } from '../../src/augmix/parse-record.js';
import { loadRecordCases } from '../helpers/golden.js';

/** The example record of the harness README. */
const README_RECORD = {
  version: 1,
  width: 3,
  severity: 3,
  allOps: false,
  weights: [0.2, 0.3, 0.5],
  m: 0.42,
  chains: [
    [
      { op: 'rotate', value: -12 },
      { op: 'posterize', value: 3 },
    ],
    [{ op: 'equalize', value: null }],
    [
      { op: 'translate_x', value: 2 },
      { op: 'shear_y', value: -0.0571 },
    ],
  ],
};

const DECODE = { orientation: 'auto', size: 224, colour: 'srgb', width: 224, height: 224 };

function collect(json: unknown, imageSize?: { width: number; height: number }): string[] {
  const warnings: string[] = [];
  parseRecord(json, { warn: (message) => warnings.push(message), imageSize });
  return warnings;
}

describe('parseRecord: valid records', () => {
  it('accepts the README example and returns an equal copy', () => {
    const record = parseRecord(README_RECORD);
    expect(record).toEqual(README_RECORD);
    expect(record).not.toBe(README_RECORD);
    // the README's rotate -12 is an illustration: severity 3 only reaches |rotate| <= 8
    expect(collect(README_RECORD)).toEqual([
      'chains[0][0]: rotate value -12 is not reachable by the official sampler at severity 3 (|value| range 0..8)',
    ]);
  });

  it('accepts every official sampled record without warnings (apart from 32x32 translate checks)', () => {
    for (const c of loadRecordCases().slice(0, 200)) {
      const warnings = collect(c.record, { width: c.size[0], height: c.size[1] });
      expect(parseRecord(c.record), c.id).toEqual(c.record);
      // official records are reachable by construction; depth > 3 only when a fixed depth asked for it
      expect(
        warnings.filter((w) => !w.includes('official default depth')),
        c.id,
      ).toEqual([]);
    }
  });

  it('keeps a valid decode object', () => {
    expect(parseRecord({ ...README_RECORD, decode: DECODE }).decode).toEqual(DECODE);
    expect(parseRecord({ ...README_RECORD, decode: { ...DECODE, size: null } }).decode?.size).toBeNull();
    expect(parseRecord({ ...README_RECORD, decode: null }).decode).toBeUndefined();
  });

  it('accepts what the harness accepts beyond the official range', () => {
    const chains = [
      [
        { op: 'rotate', value: -12.7 },
        { op: 'posterize', value: 0 },
        { op: 'posterize', value: 8 },
      ],
      [
        { op: 'solarize', value: -5 },
        { op: 'translate_y', value: 400 },
        { op: 'sharpness', value: 0 },
      ],
      [],
    ];
    expect(parseRecord({ ...README_RECORD, allOps: true, chains }).chains).toEqual(chains);
  });

  it('ignores unknown keys with a warning, and drops them', () => {
    const warnings = collect({ ...README_RECORD, comment: 'x', seed: 5 });
    expect(warnings[0]).toBe('ignoring unknown record keys "comment", "seed"');
    expect(parseRecord({ ...README_RECORD, comment: 'x' })).not.toHaveProperty('comment');
    expect(collect({ ...README_RECORD, decode: { ...DECODE, icc: 'x' } })).toContain(
      'ignoring unknown decode keys "icc"',
    );
  });
});

describe('parseRecord: warnings for values the official sampler cannot produce', () => {
  it('reports m, weights, depths, severity and unreachable values', () => {
    const warnings = collect(
      {
        ...README_RECORD,
        m: 1.5,
        weights: [0.5, 0.5, 0.5],
        chains: [[], [{ op: 'rotate', value: -12.7 }], [{ op: 'translate_x', value: 30 }]],
      },
      { width: 32, height: 32 },
    );
    expect(warnings).toEqual([
      'm=1.5 outside [0, 1]',
      'weights [0.5,0.5,0.5] are not a probability vector (sum 1.5)',
      'chains[0] has depth 0 (official default depth is 1..3)',
      'chains[1][0]: rotate value -12.7 is not reachable by the official sampler at severity 3 (|value| range 0..8)',
      'chains[2][0]: translate_x value 30 is not reachable by the official sampler at severity 3 (|value| range 0..3)',
    ]);
  });

  it('checks translations only when the image size is known', () => {
    const record = { ...README_RECORD, chains: [[{ op: 'translate_x', value: 30 }], [], []] };
    expect(collect(record).some((w) => w.includes('translate_x'))).toBe(false);
    // 320 / 3 px per 10 levels: severity 3 reaches 31 px
    expect(collect(record, { width: 320, height: 200 }).some((w) => w.includes('translate_x'))).toBe(false);
    expect(collect(record, { width: 300, height: 200 }).some((w) => w.includes('translate_x'))).toBe(true);
  });

  it('reports a severity outside 1..10 and then skips the value checks', () => {
    expect(collect({ ...README_RECORD, severity: 0 })).toEqual(['severity 0 outside 1..10']);
  });
});

describe('parseRecord: errors name the path, the expectation and the value', () => {
  const chainsWith = (step: unknown) => [[step], [], []];

  it.each([
    ['not an object', [], 'Expected record to be a JSON object but received an array of length 0', TypeError],
    ['null', null, 'Expected record to be a JSON object but received null', TypeError],
    [
      'missing keys',
      { version: 1, width: 1 },
      'Expected record to have the keys version, width, severity, allOps, weights, m, chains but it lacks severity, allOps, weights, m, chains',
      TypeError,
    ],
    ['version 2', { ...README_RECORD, version: 2 }, 'Expected version to be 1 but received 2', RangeError],
    [
      'width 0',
      { ...README_RECORD, width: 0 },
      'Expected width to be an integer >= 1 but received 0',
      RangeError,
    ],
    [
      'width true',
      { ...README_RECORD, width: true },
      'Expected width to be an integer >= 1 but received true',
      TypeError,
    ],
    [
      'severity string',
      { ...README_RECORD, severity: '3' },
      'Expected severity to be a finite number but received "3"',
      TypeError,
    ],
    [
      'allOps 1',
      { ...README_RECORD, allOps: 1 },
      'Expected allOps to be a boolean but received 1',
      TypeError,
    ],
    [
      'weights length',
      { ...README_RECORD, weights: [1] },
      'Expected weights.length to be 3 (record.width) but received 1',
      RangeError,
    ],
    [
      'weight not a number',
      { ...README_RECORD, weights: [0.2, '0.3', 0.5] },
      'Expected weights[1] to be a finite number but received "0.3"',
      TypeError,
    ],
    [
      'chains not a list',
      { ...README_RECORD, chains: {} },
      'Expected chains to be a list of 3 chains but received {}',
      TypeError,
    ],
    [
      'm null',
      { ...README_RECORD, m: null },
      'Expected m to be a finite number but received null',
      TypeError,
    ],
    [
      'chain not a list',
      { ...README_RECORD, chains: [[], 'rotate', []] },
      'Expected chains[1] to be a list of steps but received "rotate"',
      TypeError,
    ],
    [
      'step without value',
      { ...README_RECORD, chains: chainsWith({ op: 'rotate' }) },
      'Expected chains[0][0] to be an object with \'op\' and \'value\' but received {"op":"rotate"}',
      TypeError,
    ],
    [
      'step with extra keys',
      { ...README_RECORD, chains: chainsWith({ op: 'rotate', value: 3, level: 1 }) },
      'Expected chains[0][0] to have only the keys op and value but it has "level"',
      TypeError,
    ],
    [
      'unknown op',
      { ...README_RECORD, chains: chainsWith({ op: 'blur', value: 3 }) },
      'Expected chains[0][0].op to be one of autocontrast, equalize, posterize, rotate, solarize, shear_x, shear_y, translate_x, translate_y but received "blur"',
      RangeError,
    ],
    [
      'extra op without allOps',
      { ...README_RECORD, chains: chainsWith({ op: 'color', value: 0.5 }) },
      'Expected chains[0][0].op to be one of autocontrast, equalize, posterize, rotate, solarize, shear_x, shear_y, translate_x, translate_y (allOps is false) but received "color"',
      RangeError,
    ],
    [
      'value for equalize',
      { ...README_RECORD, chains: chainsWith({ op: 'equalize', value: 0 }) },
      'Expected chains[0][0].value to be null (equalize takes no value) but received 0',
      TypeError,
    ],
    [
      'fractional translate',
      { ...README_RECORD, chains: chainsWith({ op: 'translate_x', value: 2.5 }) },
      'Expected chains[0][0].value to be an integer for translate_x but received 2.5',
      RangeError,
    ],
    [
      'posterize 9',
      { ...README_RECORD, chains: chainsWith({ op: 'posterize', value: 9 }) },
      'Expected chains[0][0].value to be posterize bits in 0..8 but received 9',
      RangeError,
    ],
    [
      'string value',
      { ...README_RECORD, chains: chainsWith({ op: 'shear_x', value: '0.1' }) },
      'Expected chains[0][0].value to be a finite number for shear_x but received "0.1"',
      TypeError,
    ],
    [
      'negative factor',
      { ...README_RECORD, allOps: true, chains: chainsWith({ op: 'contrast', value: -0.5 }) },
      'Expected chains[0][0].value to be an enhancement factor >= 0 for contrast but received -0.5',
      RangeError,
    ],
    [
      'infinite rotate',
      { ...README_RECORD, chains: chainsWith({ op: 'rotate', value: Number.POSITIVE_INFINITY }) },
      'Expected chains[0][0].value to be a finite number for rotate but received Infinity',
      RangeError,
    ],
    [
      'decode orientation',
      { ...README_RECORD, decode: { ...DECODE, orientation: 'none' } },
      'Expected decode.orientation to be "auto" or "raw" but received "none"',
      RangeError,
    ],
    [
      'decode size',
      { ...README_RECORD, decode: { ...DECODE, size: 0 } },
      'Expected decode.size to be null (no resize) or an integer >= 1 but received 0',
      RangeError,
    ],
    [
      'decode colour',
      { ...README_RECORD, decode: { ...DECODE, colour: 'p3' } },
      'Expected decode.colour to be "srgb" but received "p3"',
      RangeError,
    ],
    [
      'decode height',
      { ...README_RECORD, decode: { ...DECODE, height: undefined } },
      'Expected decode.height to be an integer >= 1 but received undefined',
      RangeError,
    ],
    [
      'decode array',
      { ...README_RECORD, decode: [] },
      'Expected decode to be an object (or absent)',
      TypeError,
    ],
  ])('%s', (_name, json, message, ErrorClass) => {
    expect(() => parseRecord(json)).toThrow(message);
    expect(() => parseRecord(json)).toThrow(ErrorClass);
  });

  it('parseStep validates a single step with a custom path', () => {
    expect(parseStep({ op: 'rotate', value: 5 }, false)).toEqual({ op: 'rotate', value: 5 });
    expect(() => parseStep({ op: 'rotate', value: 'x' }, false, 'op')).toThrow(/^Expected op\.value/);
  });
});
