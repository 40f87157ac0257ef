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
/** Ops whose value is an integer. */
export const INT_OPS: ReadonlySet<OpName> = new Set([
  'posterize',
  'solarize',
  'rotate',
  'translate_x',
  'translate_y',
]);

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && (ALL_OPS as readonly string[]).includes(name);
}
