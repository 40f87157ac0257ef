/**
 * augmix-pipeline's public API: the pure AugMix core (also alone as `augmix-pipeline/core`, without sharp)
 * and the per-image pipeline (`augmix-pipeline/pipeline`). The CDK construct is `augmix-pipeline/cdk`.
 *
 * @example
 * import { processImage, resolveSettings } from 'augmix-pipeline';
 * const { variants } = await processImage(bytes, 'cat.jpg', resolveSettings({ variants: 2 }));
 */
export * from './augmix/index.js';
export * from './pipeline/index.js';
