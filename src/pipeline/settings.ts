import { describe, invalidParameter } from '../augmix/errors.js';
import { resolveAugmixParameters } from '../augmix/parameters.js';
import { defaultsOf, settingError } from '../settings/check.js';
import { IMAGE_SETTINGS, type ImageSettingName, MAX_VARIANTS } from '../settings/table.js';
import type { AugmixParameters, PipelineSettings } from './types.js';

export { MAX_VARIANTS };

/** Every setting's default (from the settings table). */
export const DEFAULT_SETTINGS: PipelineSettings = Object.freeze(
  defaultsOf(IMAGE_SETTINGS) as PipelineSettings,
);

/** Setting names, in the order resolved settings list them (the table's order). */
export const SETTING_NAMES = Object.keys(IMAGE_SETTINGS) as ImageSettingName[];

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

  for (const name of SETTING_NAMES) {
    const error = settingError(name, IMAGE_SETTINGS[name], settings[name]);
    if (error !== undefined) throw error;
  }
  // The core checks its own parameters too (and normalizes them); the table's ranges are the core's.
  const { severity, width, depth, alpha, allOps } = settings;
  const augmix: AugmixParameters = resolveAugmixParameters({ severity, width, depth, alpha, allOps });

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
