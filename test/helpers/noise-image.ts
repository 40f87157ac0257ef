import type { RgbImage } from '../../src/augmix/image.js';

/** A deterministic pseudo-random generator (xorshift32) in [0, 1), so that failures reproduce. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/** Every value uniform in 0..255. */
export function uniformNoise(width: number, height: number, next: () => number): RgbImage {
  const data = Uint8Array.from({ length: width * height * 3 }, () => Math.floor(next() * 256));
  return { width, height, data };
}

/**
 * Noise with each channel in its own random range and skewed towards its low end (so autocontrast
 * stretches, equalize sees uneven histograms, and runs of near-equal values occur).
 */
export function channelNoise(width: number, height: number, next: () => number): RgbImage {
  const ranges = [0, 1, 2].map(() => {
    const lo = Math.floor(next() * 120);
    return [lo, lo + Math.floor(next() * (255 - lo))] as const;
  });
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    const [lo, hi] = ranges[i % 3]!;
    data[i] = lo + Math.floor(next() ** 2 * (hi - lo + 1));
  }
  return { width, height, data };
}

/** The same pixels in a buffer that starts one byte into its ArrayBuffer (not word-aligned). */
export function misaligned(image: RgbImage): RgbImage {
  const data = new Uint8Array(image.data.length + 1).subarray(1);
  data.set(image.data);
  return { width: image.width, height: image.height, data };
}

/** The index of the first value where `a` and `b` differ, or -1 when they are equal (lengths too). */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
