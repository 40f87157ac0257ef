import type { PipelineSettings } from '../../src/pipeline/types.js';
import type { DoneLine } from '../../src/run/manifest-lines.js';

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
    allowNonRaster: false,
    ...overrides,
  };
}

/** The fingerprint the helpers' lines record (a file of 100 bytes modified at a fixed time). */
export const FINGERPRINT = { size: 100, mtimeMs: 1_700_000_000_000 } as const;

/** A done line for `input` with `variants` variants (named as the layout names them, PNG). */
export function doneLine(input: string, variants = 2): DoneLine {
  return {
    input,
    source: FINGERPRINT,
    document: `${input}.augmix.json`,
    variants: Array.from({ length: variants }, (_, variant) => ({
      variant,
      seed: 1000 + variant,
      output: `${input}.augmix-${String(variant).padStart(2, '0')}.png`,
    })),
    clean: null,
  };
}
