/**
 * The pure AugMix core: 8-bit RGB images in, AugMix variants and their provenance records out. No I/O, no
 * sharp, no AWS. Front ends (CLI, Lambda workers) import from here.
 *
 * @example
 * const seed = variantSeed(0, 'train/cat/001.jpg', 0);
 * const { image, record } = augmentAndMix(rgb, { severity: 3, allOps: false }, seed);
 */
export * from './augment-and-mix.js';
export * from './errors.js';
export * from './image.js';
export * from './layout.js';
export * from './levels.js';
export * from './mix.js';
export * from './op-names.js';
export * from './ops/index.js';
export * from './parameters.js';
export * from './parse-record.js';
export * from './random/index.js';
export * from './record.js';
export * from './sample.js';
export * from './seed.js';
