import { hash } from 'node:crypto';
import type { ProvenanceRecord } from '../augmix/record.js';
import type { ProcessedImage } from './types.js';

/** Value of a provenance document's `document` field; changes when its shape changes. */
export const PROVENANCE_FORMAT = 'augmix-pipeline/provenance/v1';

/**
 * The input an output was made from: the key it was read under, the content's ETag and its size. For an S3
 * object the ETag is the object's (unquoted); for a local file it is the MD5 of its bytes in hex, which is the
 * ETag S3 gives the same bytes uploaded in one PutObject.
 */
export interface SourceVersion {
  /** The object key (input prefix included) or the file's path relative to the input folder. */
  readonly key: string;
  readonly eTag: string;
  readonly size: number;
}

/** The MD5 of `bytes` in hex: the ETag S3 gives them uploaded in one PutObject (a local file's `eTag`). */
export function md5Hex(bytes: Uint8Array): string {
  return hash('md5', bytes, 'hex');
}

/** One variant in a provenance document. */
export interface ProvenanceVariant {
  /** The seed index (plain mode 0..K-1; JSD pair j: 2j and 2j+1). */
  readonly variant: number;
  readonly seed: number;
  /** The variant image's name, relative to the output folder or prefix. */
  readonly output: string;
  /** Its provenance record (version 1, with `decode`): `augmix replay` applies it to the source. */
  readonly record: ProvenanceRecord;
}

/**
 * Everything written for one input, in one object or file (`K.augmix.json`): the source version the variants
 * were made from, and every variant's record. Written after the variant images, so a reader that finds it
 * finds the images it names.
 */
export interface ProvenanceDocument {
  readonly document: typeof PROVENANCE_FORMAT;
  /** The input's relative key (the seed rule's and the layout's key). */
  readonly input: string;
  readonly source: SourceVersion;
  readonly variants: readonly ProvenanceVariant[];
  /** The clean view's name (JSD mode), or `null`. */
  readonly clean: string | null;
}

/** The provenance document of `image`, made from `source`. */
export function provenanceDocument(image: ProcessedImage, source: SourceVersion): ProvenanceDocument {
  return {
    document: PROVENANCE_FORMAT,
    input: image.relativeKey,
    source,
    variants: image.variants.map(({ variant, seed, name, record }) => ({
      variant,
      seed,
      output: name,
      record,
    })),
    clean: image.clean?.name ?? null,
  };
}

/** True when `value` looks like a provenance document (its `document` field). */
export function isProvenanceDocument(value: unknown): value is ProvenanceDocument {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { document?: unknown }).document === PROVENANCE_FORMAT &&
    Array.isArray((value as { variants?: unknown }).variants)
  );
}
