/**
 * One image in, its encoded AugMix variants and provenance records out (`processImage`), with the settings it
 * takes (`resolveSettings`, the settings table) and the errors it raises. Loads sharp (through the codec).
 *
 * @example
 * const settings = resolveSettings({ variants: 2, format: 'png' });
 * const { variants } = await processImage(bytes, 'train/cat/001.jpg', settings);
 */
export { type DecodedImage, type DecodeOptions, decode, type EncodeOptions, encode } from '../codec/index.js';
export { ERROR_CODES, type ErrorCode, InputError } from '../codec/input-error.js';
export * from '../settings/table.js';
export type { ValueType } from '../settings/value-types.js';
export { type FailureCode, type FailureRecord, failureRecord } from './failure.js';
export { processImage } from './process-image.js';
export { recordJson } from './record-json.js';
export { augmixParametersOf, DEFAULT_SETTINGS, resolveSettings, SETTING_NAMES } from './settings.js';
export type { EncodedOutput, PipelineSettings, ProcessedImage, VariantOutput } from './types.js';
