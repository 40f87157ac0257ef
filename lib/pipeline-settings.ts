import type { PipelineSettings } from '../src/pipeline/types.js';
import { type DeploySettingValues, IMAGE_SETTINGS, type ImageSettingName } from '../src/settings/table.js';

/** The AugMix and output settings the workers apply (`AUGMIX_SETTINGS`); unset ones take the core's defaults. */
export type AugmixSettings = Partial<PipelineSettings>;

/** Names of the AugMix and output settings, in the settings table's order. */
export const AUGMIX_SETTING_NAMES = Object.keys(IMAGE_SETTINGS) as readonly ImageSettingName[];

/**
 * Everything a user of the pipeline may change: typed props, also settable as CDK context (`-c`). One prop
 * per row of the settings table (`src/settings/table.ts`, which documents each one, its allowed values and
 * its default; the README's settings table is generated from it).
 */
export type AugmixPipelineSettings = AugmixSettings & DeploySettingValues;
