import { invalidParameter } from '../errors.js';

/** Number of 32-bit words of MT19937 state. */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** Largest seed numpy's `RandomState(int)` accepts. */
export const MAX_SEED = 0xffffffff;

/**
 * The Mersenne Twister MT19937 as numpy's legacy `RandomState` runs it: seeded from one integer in
 * [0, 2^32) by `init_genrand` (numpy's `mt19937_seed`), 32-bit tempered outputs, and 53-bit doubles made from
 * two outputs (`(a >>> 5) * 2^26 + (b >>> 6)) / 2^53`).
 */
export class Mt19937 {
  private readonly key = new Uint32Array(N);
  private pos = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      throw invalidParameter('seed', `an integer in 0..${MAX_SEED}`, seed);
    }
    const key = this.key;
    key[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = key[i - 1]!;
      key[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
  }

  /** The next tempered 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    if (this.pos >= N) this.regenerate();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double uniform on [0, 1) with 53 random bits (numpy's `legacy_double` / `next_double`). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A copy with the same state (the copy and this one then produce the same sequence). */
  clone(): Mt19937 {
    const copy = new Mt19937(0);
    copy.key.set(this.key);
    copy.pos = this.pos;
    return copy;
  }

  private regenerate(): void {
    const key = this.key;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (key[kk]! & UPPER_MASK) | (key[kk + 1]! & LOWER_MASK);
      key[kk] = key[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = (key[kk]! & UPPER_MASK) | (key[kk + 1]! & LOWER_MASK);
      key[kk] = key[kk + M - N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (key[N - 1]! & UPPER_MASK) | (key[0]! & LOWER_MASK);
    key[N - 1] = key[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }
}
