import type { FailureCode } from '../pipeline/failure.js';
import type { PipelineSettings } from '../pipeline/types.js';

/** File name of the manifest inside the output folder. */
export const MANIFEST_NAME = 'manifest.jsonl';

/** Value of the header's `manifest` field; changes when the line format changes. */
export const MANIFEST_FORMAT = 'augmix-pipeline/manifest/v2';

/** First line: what made this output folder. A resumed run must use the same settings. */
export interface ManifestHeader {
  readonly manifest: typeof MANIFEST_FORMAT;
  /** `augmix-pipeline <version>` of the run that created the folder. */
  readonly tool: string;
  /** Every setting that decides the output bytes (resolved, defaults filled in). */
  readonly settings: PipelineSettings;
}

/**
 * How a run recognises an input it has already done: a file by its size and modification time (no read
 * needed), an object by its size and ETag (from the listing). A different fingerprint means the input was
 * replaced, and the resumed run redoes it.
 */
export type SourceFingerprint =
  | { readonly size: number; readonly mtimeMs: number }
  | { readonly size: number; readonly eTag: string };

/** One input done: its variant images and its provenance document (which holds the records). */
export interface DoneLine {
  /** The input's relative key. */
  readonly input: string;
  /** The input as it was read; `null` when it could not be taken (the input is then redone on resume). */
  readonly source: SourceFingerprint | null;
  /** The provenance document, relative to the output folder or prefix. */
  readonly document: string;
  /** The variant images, in index order. */
  readonly variants: readonly { readonly variant: number; readonly seed: number; readonly output: string }[];
  /** The clean view (JSD mode), or `null`. */
  readonly clean: string | null;
}

/** An input that could not be augmented. */
export interface FailureLine {
  readonly input: string;
  readonly source?: SourceFingerprint | null;
  readonly error: { readonly code: FailureCode; readonly message: string };
}

export type ManifestLine = DoneLine | FailureLine;

/** Thrown when a manifest cannot be read back as one (not a torn last line: that one is dropped). */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** Parses a header line, or returns `null` when `value` is not one. */
export function asHeader(value: unknown): ManifestHeader | null {
  if (!isObject(value) || value.manifest !== MANIFEST_FORMAT) return null;
  if (typeof value.tool !== 'string' || !isObject(value.settings)) return null;
  return value as unknown as ManifestHeader;
}

/** Parses an entry line, or returns `null` when `value` is not one. */
export function asLine(value: unknown): ManifestLine | null {
  if (!isObject(value) || typeof value.input !== 'string') return null;
  if (isObject(value.error)) {
    return typeof value.error.code === 'string' && typeof value.error.message === 'string'
      ? (value as unknown as FailureLine)
      : null;
  }
  const valid =
    typeof value.document === 'string' &&
    Array.isArray(value.variants) &&
    value.variants.every(
      (v: unknown) =>
        isObject(v) &&
        Number.isSafeInteger(v.variant) &&
        Number.isSafeInteger(v.seed) &&
        typeof v.output === 'string',
    ) &&
    (value.clean === null || typeof value.clean === 'string') &&
    (value.source === null || isFingerprint(value.source));
  return valid ? (value as unknown as DoneLine) : null;
}

export function isFailureLine(line: ManifestLine): line is FailureLine {
  return 'error' in line;
}

/** One line of JSON with its newline, as written in one write. */
export function serializeLine(line: ManifestHeader | ManifestLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** Whether two fingerprints name the same content (`null` never matches). */
export function sameFingerprint(a: SourceFingerprint | null, b: SourceFingerprint | null): boolean {
  if (a === null || b === null || a.size !== b.size) return false;
  if ('eTag' in a) return 'eTag' in b && a.eTag === b.eTag;
  return 'mtimeMs' in b && a.mtimeMs === b.mtimeMs;
}

function isFingerprint(value: unknown): value is SourceFingerprint {
  if (!isObject(value) || !Number.isSafeInteger(value.size)) return false;
  return typeof value.eTag === 'string' || typeof value.mtimeMs === 'number';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
