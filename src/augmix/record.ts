import type { OpName } from './op-names.js';

/** One op of a chain with its concrete value (after level mapping and sign draw). */
export interface OpStep {
  readonly op: OpName;
  /** `null` for autocontrast and equalize. */
  readonly value: number | null;
}

/**
 * How the original file was decoded before augmenting, so that `augmix replay` of the original file
 * reproduces the variant. Absent in a bare version-1 record (= a plain decode: no resize, no rotation).
 */
export interface DecodeSettings {
  /** `auto`: EXIF orientation applied; `raw`: pixels as stored. */
  readonly orientation: 'auto' | 'raw';
  /** Short side resized to this and centre-cropped to a square, or `null` for no resize. */
  readonly size: number | null;
  /** Colour handling: everything is converted to 8-bit sRGB, alpha dropped without compositing. */
  readonly colour: 'srgb';
  /** Width and height of the decoded image the chains ran on. */
  readonly width: number;
  readonly height: number;
}

/** The provenance record, version 1 (docs/augmix-semantics.md, section 4) plus `decode`. */
export interface ProvenanceRecord {
  readonly version: 1;
  /** Number of chains = weights.length = chains.length. */
  readonly width: number;
  readonly severity: number;
  readonly allOps: boolean;
  /** Dirichlet chain weights (float32 values). */
  readonly weights: readonly number[];
  /** Beta weight of the augmented mixture (float32 value); the original gets 1 - m. */
  readonly m: number;
  readonly chains: readonly (readonly OpStep[])[];
  readonly decode?: DecodeSettings;
}
