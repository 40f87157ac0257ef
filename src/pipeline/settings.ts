import { describe, invalidParameter } from '../augmix/errors.js';
import { DEFAULT_AUGMIX_PARAMETERS, resolveAugmixParameters } from '../augmix/parameters.js';
import { isOutputFormat } from '../codec/formats.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, MAX_SIZE } from '../codec/limits.js';
import type { AugmixParameters, PipelineSettings } from './types.js';

/** Most variants (JSD mode: pairs) per input. */
export const MAX_VARIANTS = 1000;

/** Every setting's default (documented on {@link PipelineSettings}). */
export const DEFAULT_SETTINGS: PipelineSettings = Object.freeze({
  ...DEFAULT_AUGMIX_PARAMETERS,
  variants: 4,
  jsd: false,
  seed: 0,
  format: 'same',
  quality: null,
  size: null,
  orientation: 'auto',
  maxPixels: DEFAULT_MAX_PIXELS,
  maxBytes: DEFAULT_MAX_BYTES,
});

/** Setting names, in the order resolved settings list them. */
export const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as (keyof PipelineSettings)[];

/**
 * Merges `partial` over {@link DEFAULT_SETTINGS} and validates every setting. Keys whose value is `undefined`
 * take their default; unknown keys are rejected so typos fail early (`{"severty": 5}`). Accepts untrusted JSON
 * (the worker's `AUGMIX_SETTINGS`): every value is type-checked.
 *
 * @returns a frozen object with every setting, keys in {@link SETTING_NAMES} order
 * @throws RangeError / TypeError naming the setting, the value received and what is allowed
 *
 * @example
 * resolveSettings({ severity: 5, format: 'png' }).variants; // 4
 */
export function resolveSettings(partial: Partial<PipelineSettings> = {}): PipelineSettings {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw invalidParameter('settings', 'an object', partial, TypeError);
  }
  const unknown = Object.keys(partial).filter((key) => !(SETTING_NAMES as string[]).includes(key));
  if (unknown.length > 0) {
    throw new RangeError(
      `Expected settings to have keys among ${SETTING_NAMES.join(', ')} but received unknown key(s) ${unknown
        .map((key) => describe(key))
        .join(', ')}`,
    );
  }
  const merged = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
  for (const [key, value] of Object.entries(partial)) if (value !== undefined) merged[key] = value;
  const settings = merged as unknown as PipelineSettings;

  const { severity, width, depth, alpha, allOps } = settings;
  const augmix: AugmixParameters = resolveAugmixParameters({ severity, width, depth, alpha, allOps });
  assertInteger('variants', settings.variants, 1, MAX_VARIANTS);
  assertBoolean('jsd', settings.jsd);
  assertInteger('seed', settings.seed, 0, Number.MAX_SAFE_INTEGER, 'a safe integer >= 0');
  if (settings.format !== 'same' && !isOutputFormat(settings.format)) {
    throw invalidParameter('format', '"same", "jpeg", "png", "webp" or "avif"', settings.format);
  }
  if (settings.quality !== null)
    assertInteger('quality', settings.quality, 1, 100, 'null or an integer in 1..100');
  if (settings.size !== null)
    assertInteger('size', settings.size, 1, MAX_SIZE, `null or an integer in 1..${MAX_SIZE}`);
  if (settings.orientation !== 'auto' && settings.orientation !== 'raw') {
    throw invalidParameter('orientation', '"auto" or "raw"', settings.orientation);
  }
  assertInteger('maxPixels', settings.maxPixels, 1, Number.MAX_SAFE_INTEGER, 'a safe integer >= 1');
  assertInteger('maxBytes', settings.maxBytes, 1, Number.MAX_SAFE_INTEGER, 'a safe integer >= 1');

  const resolved = { ...settings, ...augmix };
  return Object.freeze(
    Object.fromEntries(SETTING_NAMES.map((key) => [key, resolved[key]])),
  ) as unknown as PipelineSettings;
}

/** The AugMix parameters of resolved settings (what `augmentAndMix` takes). */
export function augmixParametersOf(settings: PipelineSettings): AugmixParameters {
  const { severity, width, depth, alpha, allOps } = settings;
  return { severity, width, depth, alpha, allOps };
}

function assertInteger(name: string, value: unknown, min: number, max: number, expected?: string): void {
  const wanted = expected ?? `an integer in ${min}..${max}`;
  if (typeof value !== 'number') throw invalidParameter(name, wanted, value, TypeError);
  if (!Number.isInteger(value) || value < min || value > max) throw invalidParameter(name, wanted, value);
}

function assertBoolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw invalidParameter(name, 'a boolean', value, TypeError);
}
