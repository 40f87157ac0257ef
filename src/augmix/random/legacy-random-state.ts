import { invalidParameter } from '../errors.js';
import { Mt19937 } from './mt19937.js';

/** Largest `high - low - 1` that {@link LegacyRandomState.randint} supports (numpy's 32-bit masked path). */
const MAX_RANDINT_RANGE = 0xffffffff;

/**
 * A port of numpy's legacy `np.random.RandomState` (numpy >= 1.17, frozen at the 1.16 stream) for the draws
 * AugMix makes: the same seed gives the same numbers as `np.random.RandomState(seed)` for `random_sample`,
 * `uniform`, `randint` (default int64 dtype, masked rejection), `choice(list)`, `standard_exponential`,
 * `standard_normal` (polar Box-Muller with the cached second value), `standard_gamma`, `beta` and
 * `dirichlet`, called in any interleaving.
 *
 * Two deliberate differences, both only where numpy returns NaN:
 * - `dirichlet`: when the gamma variates underflow (tiny alpha) so that `1 / sum` is not finite, numpy
 *   computes 0 * Inf = NaN. Here the same gamma draws (same RNG consumption, same accept/reject decisions)
 *   are kept in log space as well, and the weights are then `exp(log g_i - max) / Σ exp(log g_j - max)`.
 *   Whenever numpy's result is finite, ours is identical.
 * - `beta` (Johnk branch): a pair of draws with U = V = 0 (probability 2^-106) gives NaN in numpy; it is
 *   rejected here, as numpy's newer `Generator` does.
 */
export class LegacyRandomState {
  private readonly mt: Mt19937;
  private hasGauss = false;
  private gauss = 0;
  /** Natural log of the value the last gamma draw returned, computed without underflow. */
  private lastLogGamma = 0;

  /** @param seed an integer in [0, 2^32), as `np.random.RandomState(seed)` takes it */
  constructor(seed: number) {
    this.mt = new Mt19937(seed);
  }

  /** The next raw 32-bit output of the generator. */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /** `random_sample()` / `random()`: a double uniform on [0, 1). */
  random(): number {
    return this.mt.nextDouble();
  }

  /** `uniform(low, high)`: `low + (high - low) * random()`. */
  uniform(low = 0, high = 1): number {
    const range = high - low;
    if (!Number.isFinite(range)) {
      throw invalidParameter('uniform high - low', 'a finite number', range);
    }
    return low + range * this.mt.nextDouble();
  }

  /**
   * `randint(low, high)`: an integer uniform on [low, high) (with one argument, on [0, low)). Uses numpy's
   * masked rejection sampler on 32-bit draws; a one-value range draws nothing.
   */
  randint(low: number, high?: number): number {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!Number.isSafeInteger(low)) throw invalidParameter('randint low', 'a safe integer', low);
    if (!Number.isSafeInteger(high) || high <= low) {
      throw invalidParameter('randint high', `a safe integer > low (${low})`, high);
    }
    const range = high - low - 1;
    if (range > MAX_RANDINT_RANGE) {
      throw invalidParameter('randint high - low', `at most 2^32 (${MAX_RANDINT_RANGE + 1})`, high - low);
    }
    if (range === 0) return low;
    if (range === MAX_RANDINT_RANGE) return low + this.mt.nextUint32();
    const mask = maskFor(range);
    let value: number;
    do {
      value = (this.mt.nextUint32() & mask) >>> 0;
    } while (value > range);
    return low + value;
  }

  /** `choice(items)` with replacement and uniform probabilities: `items[randint(0, n)]`. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw invalidParameter('choice items', 'a non-empty array', items);
    return items[this.randint(0, items.length)]!;
  }

  /** `standard_exponential()` (legacy inverse CDF): `-log(1 - random())`. */
  standardExponential(): number {
    return -Math.log(1 - this.mt.nextDouble());
  }

  /** `standard_normal()` (legacy polar Box-Muller; every second call returns the cached value). */
  standardNormal(): number {
    if (this.hasGauss) {
      const cached = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.mt.nextDouble() - 1;
      x2 = 2 * this.mt.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `standard_gamma(shape)` (legacy algorithms: exponential, Johnk-like rejection, Marsaglia-Tsang). */
  standardGamma(shape: number): number {
    if (!Number.isFinite(shape) || shape < 0) {
      throw invalidParameter('shape', 'a finite number >= 0', shape);
    }
    return this.gamma(shape);
  }

  /** `beta(a, b)` (legacy: Johnk's algorithm when a <= 1 and b <= 1, else Ga / (Ga + Gb)). */
  beta(a: number, b: number): number {
    assertPositive('beta a', a);
    assertPositive('beta b', b);
    if (a <= 1 && b <= 1) return this.johnkBeta(a, b);
    const ga = this.gamma(a);
    const gb = this.gamma(b);
    return ga / (ga + gb);
  }

  /**
   * `dirichlet(alpha)`: one gamma variate per component, in order, each multiplied by `1 / sum` (numpy's
   * legacy order of operations). Never NaN: see the class documentation for the underflow fallback.
   */
  dirichlet(alpha: readonly number[]): number[] {
    if (alpha.length === 0) throw invalidParameter('dirichlet alpha', 'a non-empty array', alpha);
    for (const [i, a] of alpha.entries()) assertPositive(`dirichlet alpha[${i}]`, a);
    // arrays grown by push (packed, not holey), so every result has the same shape for the code that reads it
    const values: number[] = [];
    const logs: number[] = [];
    let acc = 0;
    for (let j = 0; j < alpha.length; j++) {
      const g = this.gamma(alpha[j]!);
      values.push(g);
      logs.push(this.lastLogGamma);
      acc = acc + g;
    }
    const inverse = 1 / acc;
    if (!Number.isFinite(inverse)) return normalizeLogs(logs);
    const weights: number[] = [];
    for (const g of values) weights.push(g * inverse);
    return weights;
  }

  /** Legacy `standard_gamma`; also leaves the log of the result in `lastLogGamma`. */
  private gamma(shape: number): number {
    if (shape === 1) {
      const value = this.standardExponential();
      this.lastLogGamma = Math.log(value);
      return value;
    }
    if (shape === 0) {
      this.lastLogGamma = Number.NEGATIVE_INFINITY;
      return 0;
    }
    if (shape < 1) return this.smallShapeGamma(shape);
    const b = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * b);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.standardNormal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.mt.nextDouble();
      if (u < 1 - 0.0331 * (x * x) * (x * x) || Math.log(u) < 0.5 * x * x + b * (1 - v + Math.log(v))) {
        const value = b * v;
        this.lastLogGamma = Math.log(value);
        return value;
      }
    }
  }

  /** Legacy gamma for 0 < shape < 1 (accept/reject decisions exactly as numpy's, logs kept alongside). */
  private smallShapeGamma(shape: number): number {
    for (;;) {
      const u = this.mt.nextDouble();
      const v = this.standardExponential();
      if (u <= 1 - shape) {
        const x = u ** (1 / shape);
        if (x <= v) {
          this.lastLogGamma = Math.log(u) / shape;
          return x;
        }
      } else {
        const y = -Math.log((1 - u) / shape);
        const base = 1 - shape + shape * y;
        const x = base ** (1 / shape);
        if (x <= v + y) {
          this.lastLogGamma = Math.log(base) / shape;
          return x;
        }
      }
    }
  }

  private johnkBeta(a: number, b: number): number {
    for (;;) {
      const u = this.mt.nextDouble();
      const v = this.mt.nextDouble();
      const x = u ** (1 / a);
      const y = v ** (1 / b);
      if (x + y <= 1 && u + v > 0) {
        if (x + y > 0) return x / (x + y);
        let logX = Math.log(u) / a;
        let logY = Math.log(v) / b;
        const logM = Math.max(logX, logY);
        logX -= logM;
        logY -= logM;
        return Math.exp(logX - Math.log(Math.exp(logX) + Math.exp(logY)));
      }
    }
  }
}

/** The smallest 2^k - 1 >= range (numpy's `gen_mask`). */
function maskFor(range: number): number {
  let mask = range;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

/** `exp(l_i) / Σ exp(l_j)` computed without overflow or underflow of the largest term; uniform if all are -Inf. */
function normalizeLogs(logs: readonly number[]): number[] {
  const max = Math.max(...logs);
  if (max === Number.NEGATIVE_INFINITY) return logs.map(() => 1 / logs.length);
  const exps = logs.map((l) => Math.exp(l - max));
  let sum = 0;
  for (const e of exps) sum = sum + e;
  return exps.map((e) => e / sum);
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw invalidParameter(name, 'a finite number > 0', value);
  }
}
