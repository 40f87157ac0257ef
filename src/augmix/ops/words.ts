/**
 * Word-at-a-time access to 8-bit image data: one `Uint32Array` read or write moves 4 channel values, which
 * V8 runs several times faster than 4 separate byte accesses. The results are the same bytes; only the
 * number of memory operations changes.
 *
 * Each word loop is a small function of its own, called by a function that then handles the last 1–11
 * bytes one at a time. This matters in V8: a long loop is optimised while it runs (on-stack replacement),
 * and any code after the loop in the same function that has not run yet has no type feedback, so the
 * optimised code would deoptimise at the end of every call.
 */

/**
 * Whether a `Uint32Array` word holds its bytes lowest address first (`b0 | b1 << 8 | b2 << 16 | b3 << 24`).
 * True on every platform Node runs on (x86-64, arm64); elsewhere the byte-at-a-time paths are used.
 */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A `Uint32Array` over the first `wordCount` whole words of `bytes`, or `null` when word access is not
 * possible: a big-endian platform, or `bytes` not starting on a 4-byte boundary of its buffer (a subarray).
 */
export function wordView(bytes: Uint8Array, wordCount: number): Uint32Array | null {
  if (!LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0) return null;
  return new Uint32Array(bytes.buffer, bytes.byteOffset, wordCount);
}

/**
 * The number of whole 12-byte groups (4 RGB pixels = 3 words) in `length` bytes, as a word count: the
 * channel pattern of a word repeats every 3 words, so channel-aware loops walk 3 words at a time.
 */
export function pixelGroupWords(length: number): number {
  return Math.floor(length / 12) * 3;
}
