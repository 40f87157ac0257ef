import { describe, expect, it } from 'vitest';
import {
  type AugmixParameters,
  DEFAULT_AUGMIX_PARAMETERS,
  resolveAugmixParameters,
} from '../../src/augmix/parameters.js';

describe('resolveAugmixParameters', () => {
  it('defaults to the official values', () => {
    expect(resolveAugmixParameters()).toEqual({ severity: 3, width: 3, depth: -1, alpha: 1, allOps: false });
    expect(resolveAugmixParameters({})).toEqual(DEFAULT_AUGMIX_PARAMETERS);
    expect(resolveAugmixParameters({ severity: undefined })).toEqual(DEFAULT_AUGMIX_PARAMETERS);
  });

  it('keeps valid values', () => {
    const params = { severity: 10, width: 16, depth: 10, alpha: 0.001, allOps: true };
    expect(resolveAugmixParameters(params)).toEqual(params);
    expect(resolveAugmixParameters({ severity: 1, width: 1, depth: 1, alpha: 1e6 })).toMatchObject({
      depth: 1,
    });
  });

  it.each([
    [{ severity: 0 }, 'Expected severity to be an integer in 1..10 but received 0', RangeError],
    [{ severity: 11 }, 'Expected severity to be an integer in 1..10 but received 11', RangeError],
    [{ severity: 2.5 }, 'Expected severity to be an integer in 1..10 but received 2.5', RangeError],
    [{ severity: '3' }, 'Expected severity to be an integer in 1..10 but received "3"', TypeError],
    [{ width: 0 }, 'Expected width to be an integer in 1..16 but received 0', RangeError],
    [{ width: 17 }, 'Expected width to be an integer in 1..16 but received 17', RangeError],
    [{ depth: 0 }, 'Expected depth to be -1 (random 1..3) or an integer in 1..10 but received 0', RangeError],
    [
      { depth: -2 },
      'Expected depth to be -1 (random 1..3) or an integer in 1..10 but received -2',
      RangeError,
    ],
    [
      { depth: 11 },
      'Expected depth to be -1 (random 1..3) or an integer in 1..10 but received 11',
      RangeError,
    ],
    [{ alpha: 0 }, 'Expected alpha to be a finite number > 0 but received 0', RangeError],
    [{ alpha: -1 }, 'Expected alpha to be a finite number > 0 but received -1', RangeError],
    [{ alpha: Number.NaN }, 'Expected alpha to be a finite number > 0 but received NaN', RangeError],
    [
      { alpha: Number.POSITIVE_INFINITY },
      'Expected alpha to be a finite number > 0 but received Infinity',
      RangeError,
    ],
    [{ alpha: null }, 'Expected alpha to be a finite number > 0 but received null', TypeError],
    [{ allOps: 'yes' }, 'Expected allOps to be a boolean but received "yes"', TypeError],
  ])('rejects %j', (partial, message, ErrorClass) => {
    const act = () => resolveAugmixParameters(partial as unknown as Partial<AugmixParameters>);
    expect(act).toThrow(message);
    expect(act).toThrow(ErrorClass);
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => resolveAugmixParameters({ severty: 3 } as unknown as Partial<AugmixParameters>)).toThrow(
      'Expected AugMix parameter name to be one of severity, width, depth, alpha, allOps but received "severty"',
    );
  });

  it('rejects non-objects', () => {
    expect(() => resolveAugmixParameters(null as unknown as Partial<AugmixParameters>)).toThrow(TypeError);
    expect(() => resolveAugmixParameters([] as unknown as Partial<AugmixParameters>)).toThrow(
      /AugMix parameters/,
    );
  });
});
