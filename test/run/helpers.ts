import type { PipelineSettings } from '../../src/pipeline/types.js';
import type { VariantLine } from '../../src/run/manifest-lines.js';

/** A complete settings object (the defaults of issue 2), for tests that must not depend on resolveSettings. */
export function settingsFixture(overrides: Partial<PipelineSettings> = {}): PipelineSettings {
  return {
    severity: 3,
    width: 3,
    depth: -1,
    alpha: 1,
    allOps: false,
    variants: 2,
    jsd: false,
    seed: 0,
    format: 'same',
    quality: null,
    size: null,
    orientation: 'auto',
    maxPixels: 100_000_000,
    maxBytes: 256 * 1024 * 1024,
    ...overrides,
  };
}

/** A variant line for `input`, variant `variant`. */
export function variantLine(input: string, variant: number): VariantLine {
  return {
    input,
    output: `${input}.augmix-${String(variant).padStart(2, '0')}.png`,
    sidecar: `${input}.augmix-${String(variant).padStart(2, '0')}.json`,
    variant,
    seed: 1000 + variant,
    record: { version: 1, width: 1, severity: 3, allOps: false, weights: [1], m: 0.5, chains: [[]] },
  };
}
