import { invalidParameter } from './errors.js';

/** AugMix sampling parameters (the official AugmentAndMix knobs). */
export interface AugmixParameters {
  /**
   * Strength of every op: levels are drawn uniformly from [0.1, severity).
   * @default 3
   */
  readonly severity: number;
  /**
   * Number of augmentation chains mixed together (k, the "mixture width").
   * @default 3
   */
  readonly width: number;
  /**
   * Ops per chain; -1 draws the depth of each chain uniformly from {1, 2, 3}.
   * @default -1
   */
  readonly depth: number;
  /**
   * Concentration of the Dirichlet chain weights and of the Beta(alpha, alpha) mixing weight m.
   * @default 1
   */
  readonly alpha: number;
  /**
   * Also draw color, contrast, brightness and sharpness (they overlap ImageNet-C corruptions).
   * @default false
   */
  readonly allOps: boolean;
}

/** The official defaults (google-research/augmix `cifar.py`). */
export const DEFAULT_AUGMIX_PARAMETERS: AugmixParameters = Object.freeze({
  severity: 3,
  width: 3,
  depth: -1,
  alpha: 1,
  allOps: false,
});

/** Largest supported mixture width (more chains only add cost: the mixture converges to the mean). */
export const MAX_WIDTH = 16;
/** Largest supported fixed chain depth. */
export const MAX_DEPTH = 10;
/** Largest severity (the official level scale is 0..10). */
export const MAX_SEVERITY = 10;

const KEYS = Object.keys(DEFAULT_AUGMIX_PARAMETERS) as (keyof AugmixParameters)[];

/**
 * Merges `partial` over the defaults and validates the result. Keys that are `undefined` take their default;
 * unknown keys are rejected so typos fail early.
 *
 * @throws RangeError / TypeError naming the parameter, the value received and the allowed range
 */
export function resolveAugmixParameters(partial: Partial<AugmixParameters> = {}): AugmixParameters {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw invalidParameter('AugMix parameters', 'an object', partial, TypeError);
  }
  const unknown = Object.keys(partial).find((key) => !(KEYS as string[]).includes(key));
  if (unknown !== undefined) {
    throw invalidParameter('AugMix parameter name', `one of ${KEYS.join(', ')}`, unknown);
  }
  const {
    severity = DEFAULT_AUGMIX_PARAMETERS.severity,
    width = DEFAULT_AUGMIX_PARAMETERS.width,
    depth = DEFAULT_AUGMIX_PARAMETERS.depth,
    alpha = DEFAULT_AUGMIX_PARAMETERS.alpha,
    allOps = DEFAULT_AUGMIX_PARAMETERS.allOps,
  } = partial;
  assertIntegerIn('severity', severity, 1, MAX_SEVERITY, `an integer in 1..${MAX_SEVERITY}`);
  assertIntegerIn('width', width, 1, MAX_WIDTH, `an integer in 1..${MAX_WIDTH}`);
  if (depth !== -1) {
    assertIntegerIn('depth', depth, 1, MAX_DEPTH, `-1 (random 1..3) or an integer in 1..${MAX_DEPTH}`);
  }
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
    throw invalidParameter(
      'alpha',
      'a finite number > 0',
      alpha,
      typeof alpha === 'number' ? RangeError : TypeError,
    );
  }
  if (typeof allOps !== 'boolean') {
    throw invalidParameter('allOps', 'a boolean', allOps, TypeError);
  }
  return { severity, width, depth, alpha, allOps };
}

function assertIntegerIn(name: string, value: unknown, min: number, max: number, expected: string): void {
  if (typeof value !== 'number') throw invalidParameter(name, expected, value, TypeError);
  if (!Number.isInteger(value) || value < min || value > max) throw invalidParameter(name, expected, value);
}
