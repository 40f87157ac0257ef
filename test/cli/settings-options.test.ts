import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit.js';
import { settingsFromValues } from '../../src/cli/settings-options.js';

describe('settingsFromValues', () => {
  it('maps options to settings, leaving absent ones out', () => {
    const settings = settingsFromValues({
      variants: '8',
      depth: '-1',
      alpha: '0.5',
      'all-ops': true,
      format: 'webp',
      quality: '75',
      size: 'none',
      'max-pixels': '1000',
    });

    expect(settings).toEqual({
      variants: 8,
      depth: -1,
      alpha: 0.5,
      allOps: true,
      format: 'webp',
      quality: 75,
      size: null,
      maxPixels: 1000,
    });
    expect(settingsFromValues({})).toEqual({});
  });

  it('refuses values that are not numbers or not a choice, naming the option', () => {
    expect(() => settingsFromValues({ severity: 'high' })).toThrow(UsageError);
    expect(() => settingsFromValues({ severity: 'high' })).toThrow(/--severity/);
    expect(() => settingsFromValues({ alpha: 'x' })).toThrow(/--alpha/);
    expect(() => settingsFromValues({ format: 'gif' })).toThrow(/--format/);
  });
});
