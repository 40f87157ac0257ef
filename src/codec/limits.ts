/**
 * Input limits shared by the codec and the pipeline settings. Kept free of sharp so that reading the defaults
 * (settings validation, `--help` texts) never loads the native module.
 */

/**
 * Default largest input in pixels (width * height): 30 megapixels. With the worker's default memory (3008 MB)
 * and timeout (180 s), two such images at once fit both (docs/budgets.md has the figures).
 */
export const DEFAULT_MAX_PIXELS = 30_000_000;

/** Default largest input in bytes: 128 MiB (docs/budgets.md). */
export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/** The largest `maxPixels` accepted: libvips images are limited to 2^31 - 1 pixels on a side, sharp to 2^53. */
export const MAX_PIXELS_LIMIT = Number.MAX_SAFE_INTEGER;

/** Largest side accepted for the `size` option (resize short side, centre-crop square). */
export const MAX_SIZE = 16_384;
