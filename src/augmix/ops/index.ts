/**
 * The 13 AugMix ops, bit-exact to Pillow 9.4 on x86-64 (docs/augmix-semantics.md, "Pixel arithmetic"), and
 * `applyOp`, which validates an op name and value by the provenance record's rules (same document, section 4)
 * before applying it.
 * No op mutates its input; every op returns a new image of the input's size.
 */
import { invalidParameter } from '../errors.js';
import { assertRgbImage, type RgbImage } from '../image.js';
import { ALL_OPS, EXTRA_OPS, INT_OPS, isOpName, NULL_OPS, type OpName } from '../op-names.js';
import { brightness, color, contrast, sharpness } from './enhance.js';
import { autocontrast, equalize, posterize, solarize } from './lut-ops.js';
import { rotate } from './rotate.js';
import { shearX, shearY, translateX, translateY } from './shear-translate.js';

export { type AffineMatrix, affineBilinear } from './affine.js';
export { blend, brightness, color, contrast, luma, sharpness, smooth } from './enhance.js';
export { autocontrast, equalize, posterize, solarize } from './lut-ops.js';
export { pythonMod360, rotate, rotationCosSin } from './rotate.js';
export { shearX, shearY, translateX, translateY } from './shear-translate.js';

/** An op applied with an already validated value (`value` is ignored by autocontrast and equalize). */
export type OpFunction = (image: RgbImage, value: number) => RgbImage;

/** Every op by its record name. */
export const OP_FUNCTIONS: Readonly<Record<OpName, OpFunction>> = {
  autocontrast: (image) => autocontrast(image),
  equalize: (image) => equalize(image),
  posterize,
  rotate,
  solarize,
  shear_x: shearX,
  shear_y: shearY,
  translate_x: translateX,
  translate_y: translateY,
  color,
  contrast,
  brightness,
  sharpness,
};

const EXTRA: ReadonlySet<string> = new Set(EXTRA_OPS);

/**
 * Throws unless `value` is valid for `op`, with the rules of the harness's `record.py`: `null` for
 * autocontrast/equalize; an integer for posterize (0..8), solarize, translate_x and translate_y; a finite
 * number for rotate and the shears; a finite number >= 0 for color, contrast, brightness and sharpness.
 */
export function assertOpValue(op: OpName, value: unknown): asserts value is number | null {
  const name = `the value of ${op}`;
  if (NULL_OPS.has(op)) {
    if (value !== null) throw invalidParameter(name, 'null (it takes no value)', value, TypeError);
    return;
  }
  if (typeof value !== 'number') {
    throw invalidParameter(name, INT_OPS.has(op) ? 'an integer' : 'a finite number', value, TypeError);
  }
  if (op === 'posterize') {
    if (!Number.isInteger(value) || value < 0 || value > 8) {
      throw invalidParameter(name, 'an integer in 0..8 (bits kept)', value);
    }
  } else if (INT_OPS.has(op)) {
    if (!Number.isInteger(value)) throw invalidParameter(name, 'an integer', value);
  } else if (!Number.isFinite(value)) {
    throw invalidParameter(name, 'a finite number', value);
  } else if (EXTRA.has(op) && value < 0) {
    throw invalidParameter(name, 'a finite number >= 0 (1 = identity)', value);
  }
}

/**
 * Applies one op with a concrete value (a record step) and returns a new image of the same size.
 *
 * @param image the input; never modified
 * @param op one of {@link ALL_OPS}
 * @param value the op's concrete value: `null` for autocontrast and equalize (see {@link assertOpValue})
 * @example
 * const rotated = applyOp(image, 'rotate', -12);
 * const equalized = applyOp(image, 'equalize', null);
 */
export function applyOp(image: RgbImage, op: OpName, value: number | null): RgbImage {
  assertRgbImage(image);
  if (!isOpName(op)) throw invalidParameter('op', `one of ${ALL_OPS.join(', ')}`, op);
  assertOpValue(op, value);
  return OP_FUNCTIONS[op](image, value ?? 0);
}
