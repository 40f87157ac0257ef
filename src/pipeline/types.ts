import type { OutputFormat } from '../augmix/layout.js';
import type { AugmixParameters } from '../augmix/parameters.js';
import type { ProvenanceRecord } from '../augmix/record.js';

export type { AugmixParameters };

/** Everything that decides the bytes of an input's outputs. */
export interface PipelineSettings extends AugmixParameters {
  /** Variants per input (JSD mode: pairs per input). @default 4 */
  readonly variants: number;
  /** JSD mode: the clean view plus `variants` pairs of independent AugMix views. @default false */
  readonly jsd: boolean;
  /** The run's seed, an integer >= 0. @default 0 */
  readonly seed: number;
  /** Output format; `same` = the input's format when jpeg/png/webp/avif, else png. @default 'same' */
  readonly format: OutputFormat | 'same';
  /** Encoder quality 1..100 for jpeg/webp/avif, or `null` for the encoder's default. @default null */
  readonly quality: number | null;
  /** Resize the short side to `size` and centre-crop a square before augmenting, or `null`. @default null */
  readonly size: number | null;
  /** `auto` applies EXIF orientation; `raw` keeps the stored pixel order. @default 'auto' */
  readonly orientation: 'auto' | 'raw';
  /** Largest accepted input, in pixels (width * height). @default 100_000_000 */
  readonly maxPixels: number;
  /** Largest accepted input, in bytes. @default 256 MiB */
  readonly maxBytes: number;
}

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
