/** The nine ops of the official AugMix (`augmentations.augmentations`). */
export const DEFAULT_OPS = [
  'autocontrast',
  'equalize',
  'posterize',
  'rotate',
  'solarize',
  'shear_x',
  'shear_y',
  'translate_x',
  'translate_y',
] as const;

/** The four extra ops enabled by "all ops" (they overlap ImageNet-C corruptions). */
export const EXTRA_OPS = ['color', 'contrast', 'brightness', 'sharpness'] as const;

/** All thirteen ops, in the official order of `augmentations.augmentations_all`. */
export const ALL_OPS = [...DEFAULT_OPS, ...EXTRA_OPS] as const;

export type DefaultOpName = (typeof DEFAULT_OPS)[number];
export type ExtraOpName = (typeof EXTRA_OPS)[number];
export type OpName = (typeof ALL_OPS)[number];

/** Ops that take no value (`null` in a record). */
export const NULL_OPS: ReadonlySet<OpName> = new Set(['autocontrast', 'equalize']);
/**
 * Ops whose value must be an integer (the harness's `record.py`/`levels.py` `INT_OPS`). `rotate` is not one
 * of them: the official sampler only draws integer degrees, but a record or `augmix op rotate -12.7` may
 * carry any finite angle.
 */
export const INT_OPS: ReadonlySet<OpName> = new Set(['posterize', 'solarize', 'translate_x', 'translate_y']);

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && (ALL_OPS as readonly string[]).includes(name);
}
