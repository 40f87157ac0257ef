import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, resolveSettings, SETTING_NAMES } from '../../src/pipeline/settings.js';
import type { PipelineSettings } from '../../src/pipeline/types.js';

describe('resolveSettings', () => {
  it('fills every default as documented', () => {
    expect(resolveSettings()).toEqual({
      severity: 3,
      width: 3,
      depth: -1,
      alpha: 1,
      allOps: false,
      variants: 4,
      jsd: false,
      seed: 0,
      format: 'same',
      quality: null,
      size: null,
      orientation: 'auto',
      maxPixels: 30_000_000,
      maxBytes: 128 * 1024 * 1024,
      allowNonRaster: false,
    });
    expect(resolveSettings({})).toEqual(DEFAULT_SETTINGS);
  });

  it('merges given settings, treats undefined as unset and lists keys in a stable order', () => {
    const settings = resolveSettings({ seed: 7, format: 'png', severity: undefined, size: 224, quality: 80 });
    expect(settings.seed).toBe(7);
    expect(settings.format).toBe('png');
    expect(settings.severity).toBe(3);
    expect(settings.size).toBe(224);
    expect(Object.keys(settings)).toEqual(SETTING_NAMES);
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('rejects unknown keys, naming them and the allowed keys', () => {
    expect(() => resolveSettings({ severty: 5 } as Partial<PipelineSettings>)).toThrow(
      /settings to have keys among severity, width.*unknown key\(s\) "severty"$/,
    );
  });

  it.each([
    ['severity', 0, /severity.*1\.\.10.*0/],
    ['width', 1.5, /width/],
    ['depth', 0, /depth/],
    ['alpha', 0, /alpha.*> 0/],
    ['allOps', 'yes', /allOps.*boolean/],
    ['variants', 0, /variants.*1\.\.1000.*received 0/],
    ['variants', '4', /variants.*received "4"/],
    ['jsd', 1, /jsd.*boolean/],
    ['seed', -1, /seed.*>= 0.*-1/],
    ['seed', 2 ** 53, /seed/],
    ['format', 'gif', /format.*"same", "jpeg", "png", "webp" or "avif".*"gif"/],
    ['quality', 0, /quality.*1\.\.100/],
    ['quality', 101, /quality/],
    ['size', 0, /size.*null or an integer in 1\.\.16384/],
    ['orientation', 'flip', /orientation.*"auto" or "raw"/],
    ['maxPixels', 0, /maxPixels/],
    ['maxBytes', 1.5, /maxBytes/],
  ])('rejects %s = %j with an error naming it', (key, value, message) => {
    expect(() => resolveSettings({ [key]: value } as Partial<PipelineSettings>)).toThrow(message);
  });

  it('rejects a non-object', () => {
    expect(() => resolveSettings(null as unknown as Partial<PipelineSettings>)).toThrow(TypeError);
    expect(() => resolveSettings([] as unknown as Partial<PipelineSettings>)).toThrow(/settings/);
  });
});
