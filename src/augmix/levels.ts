import type { OpName } from './op-names.js';
import type { LegacyRandomState } from './random/legacy-random-state.js';

/** Image size used to scale translations (x by width / 3, y by height / 3). */
export interface TranslateSize {
  readonly width: number;
  readonly height: number;
}

/** The "10" of the official `int_parameter` / `float_parameter`. */
export const PARAMETER_MAX = 10;

/** Lowest level `sample_level` can return. */
export const MIN_LEVEL = 0.1;

/** Which draw decides the sign of a signed op: `uniform() > 0.5` or `random() > 0.5` (official code). */
export const SIGN_DRAWS: Readonly<Partial<Record<OpName, 'uniform' | 'random'>>> = Object.freeze({
  rotate: 'uniform',
  shear_x: 'uniform',
  shear_y: 'uniform',
  translate_x: 'random',
  translate_y: 'random',
});

/** Official `sample_level(n)`: `np.random.uniform(low=0.1, high=n)`, a level in [0.1, severity). */
export function sampleLevel(rng: LegacyRandomState, severity: number): number {
  return rng.uniform(MIN_LEVEL, severity);
}

/** Official `int_parameter(level, max)`: `int(level * max / 10)` (float64 product, then division, then trunc). */
export function intParameter(level: number, max: number): number {
  return Math.trunc((level * max) / PARAMETER_MAX);
}

/** Official `float_parameter(level, max)`: `float(level) * max / 10.`. */
export function floatParameter(level: number, max: number): number {
  return (level * max) / PARAMETER_MAX;
}

/**
 * The concrete value (a record step's `value`) the official op computes from a level and its sign draw.
 * Translations are scaled by `size.width / 3` (x) and `size.height / 3` (y), the harness's convention
 * (official for square images, where both equal IMAGE_SIZE / 3).
 *
 * @param negate whether the op's sign draw came out > 0.5 (ignored by unsigned ops)
 */
export function valueFromLevel(
  op: OpName,
  level: number,
  negate: boolean,
  size: TranslateSize,
): number | null {
  switch (op) {
    case 'autocontrast':
    case 'equalize':
      return null;
    case 'posterize':
      return 4 - intParameter(level, 4);
    case 'solarize':
      return 256 - intParameter(level, 256);
    case 'rotate':
      return signed(intParameter(level, 30), negate);
    case 'shear_x':
    case 'shear_y':
      return signed(floatParameter(level, 0.3), negate);
    case 'translate_x':
      return signed(intParameter(level, size.width / 3), negate);
    case 'translate_y':
      return signed(intParameter(level, size.height / 3), negate);
    case 'color':
    case 'contrast':
    case 'brightness':
    case 'sharpness':
      return floatParameter(level, 1.8) + 0.1;
  }
}

/**
 * Consumes `rng` exactly as the official op function does (level draw, then the sign draw for signed ops;
 * nothing for autocontrast/equalize) and returns the concrete value.
 */
export function drawOpValue(
  rng: LegacyRandomState,
  op: OpName,
  severity: number,
  size: TranslateSize,
): number | null {
  if (op === 'autocontrast' || op === 'equalize') return null;
  const level = sampleLevel(rng, severity);
  const signDraw = SIGN_DRAWS[op];
  let negate = false;
  if (signDraw === 'uniform') negate = rng.uniform() > 0.5;
  else if (signDraw === 'random') negate = rng.random() > 0.5;
  return valueFromLevel(op, level, negate, size);
}

/** `-v if negate else v`, keeping an integer 0 as +0 (Python ints have no -0). */
function signed(value: number, negate: boolean): number {
  return negate && value !== 0 ? -value : value;
}

/**
 * Inclusive range of |value| (of value, for unsigned ops) that the official sampler can produce at a
 * severity (levels in [0.1, severity)), as the harness's `levels.reachable_range` computes it; `null` for
 * autocontrast/equalize. Float bounds are approximate (the upper one is exclusive). Used for warnings only.
 */
export function reachableRange(
  op: OpName,
  severity: number,
  size: TranslateSize = { width: 32, height: 32 },
): readonly [number, number] | null {
  const lo = MIN_LEVEL;
  const hi = severity;
  switch (op) {
    case 'autocontrast':
    case 'equalize':
      return null;
    case 'posterize':
      return [4 - maxIntBelow((hi * 4) / PARAMETER_MAX), 4 - intParameter(lo, 4)];
    case 'solarize':
      return [256 - maxIntBelow((hi * 256) / PARAMETER_MAX), 256 - intParameter(lo, 256)];
    case 'rotate':
      return [intParameter(lo, 30), maxIntBelow((hi * 30) / PARAMETER_MAX)];
    case 'shear_x':
    case 'shear_y':
      return [floatParameter(lo, 0.3), floatParameter(hi, 0.3)];
    case 'translate_x':
      return [intParameter(lo, size.width / 3), maxIntBelow((hi * (size.width / 3)) / PARAMETER_MAX)];
    case 'translate_y':
      return [intParameter(lo, size.height / 3), maxIntBelow((hi * (size.height / 3)) / PARAMETER_MAX)];
    case 'color':
    case 'contrast':
    case 'brightness':
    case 'sharpness':
      return [floatParameter(lo, 1.8) + 0.1, floatParameter(hi, 1.8) + 0.1];
  }
}

/** Largest integer strictly below x (x > 0): `ceil(x) - 1`. */
function maxIntBelow(x: number): number {
  return Math.ceil(x) - 1;
}
