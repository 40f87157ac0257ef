import type { AugmixParameters } from '../augmix/parameters.js';
import type { ProvenanceRecord } from '../augmix/record.js';
import type { ImageSettingValues } from '../settings/table.js';

export type { AugmixParameters };

/**
 * Everything that decides the bytes of an input's outputs: one value per image setting of the settings table
 * (`src/settings/table.ts`, which documents each one and its default).
 */
export type PipelineSettings = ImageSettingValues;

/** One encoded output of an input. */
export interface EncodedOutput {
  /** Relative output name from the layout module (`K.augmix-00.png`). */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** MIME type, e.g. `image/png`. */
  readonly contentType: string;
}

/** One AugMix variant with its provenance. */
export interface VariantOutput extends EncodedOutput {
  readonly variant: number;
  /** The variant's seed (from the core's seed rule). */
  readonly seed: number;
  /** Its provenance record (written in the input's provenance document). */
  readonly record: ProvenanceRecord;
}

/** Everything produced for one input. */
export interface ProcessedImage {
  readonly relativeKey: string;
  readonly variants: readonly VariantOutput[];
  /** Relative name of the input's provenance document (`K.augmix.json`). */
  readonly documentName: string;
  /** The clean view (JSD mode only). */
  readonly clean: EncodedOutput | null;
  /** Milliseconds spent in decode, augment (all variants) and encode (all outputs). */
  readonly timings: { readonly decodeMs: number; readonly augmentMs: number; readonly encodeMs: number };
}
