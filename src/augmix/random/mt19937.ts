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
 *
 * The state is regenerated one word at a time, as each output needs it, instead of all 624 words at once
 * (numpy's `mt19937_gen`): word i of a new generation is made from words i and i+1 and word i+397 (mod 624),
 * and going in order, each of those is still of the old generation or already of the new one exactly as in
 * the all-at-once loop, so the outputs are the same. A variant draws a few dozen words, and seeding is one
 * per variant: this skips most of the regeneration.
 */
export class Mt19937 {
  private readonly key = new Uint32Array(N);
  /** The next word to regenerate and output; words before it are of the current generation. */
  private pos = 0;

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
    const key = this.key;
    const i = this.pos;
    const mixed = (key[i]! & UPPER_MASK) | (key[i === N - 1 ? 0 : i + 1]! & LOWER_MASK);
    let y = key[i < N - M ? i + M : i + M - N]! ^ (mixed >>> 1) ^ (mixed & 1 ? MATRIX_A : 0);
    key[i] = y;
    this.pos = i === N - 1 ? 0 : i + 1;
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
}
