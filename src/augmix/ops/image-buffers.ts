/**
 * Output buffers of the ops, with reuse of dead intermediates. A fresh multi-megabyte `Uint8Array` costs
 * 1–3 ms beyond the op itself at 2048 px (the kernel maps and zeroes new pages on first touch, and the GC
 * sees the external memory), so a chain that knows an intermediate is dead hands its buffer back with
 * {@link recycleImageData}, and the next op of the same size gets it, zeroed, from {@link allocateImageData}.
 *
 * The pool holds at most {@link MAX_POOLED} buffers of one length (the latest size seen); the core is
 * synchronous, so no two calls ever share a pooled buffer. Only code that owns a buffer outright (nothing
 * else can reach it) may recycle it.
 */

/** Buffers kept for reuse; one chain's ping-pong plus the chain outputs of one variant. */
const MAX_POOLED = 4;

const pool: Uint8Array[] = [];

/** A zero-filled byte array of `length` (as `new Uint8Array(length)`), reusing a recycled one if any. */
export function allocateImageData(length: number): Uint8Array {
  return takeRecycled(length)?.fill(0) ?? new Uint8Array(length);
}

/**
 * A byte array of `length` for a caller that writes every byte of it before anything reads it: as
 * {@link allocateImageData}, but a recycled buffer comes back as it is, not zeroed (the WebAssembly geometry
 * copies its whole output into it).
 */
export function allocateImageDataToOverwrite(length: number): Uint8Array {
  return takeRecycled(length) ?? new Uint8Array(length);
}

/** A recycled buffer of `length`, or null; a pooled buffer of another size empties the pool (one length only). */
function takeRecycled(length: number): Uint8Array | null {
  const reused = pool.pop();
  if (reused === undefined) return null;
  if (reused.length === length) return reused;
  pool.length = 0;
  return null;
}

/**
 * Hands a dead buffer back for reuse. The caller must own `data` (no one else keeps a reference); buffers
 * that do not span their whole `ArrayBuffer` are ignored, since ops take word views at offset 0.
 */
export function recycleImageData(data: Uint8Array): void {
  if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength || pool.includes(data)) return;
  if (pool.length > 0 && pool[0]!.length !== data.length) pool.length = 0;
  if (pool.length < MAX_POOLED) pool.push(data);
}
