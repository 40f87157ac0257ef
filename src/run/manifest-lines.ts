import type { ProvenanceRecord } from '../augmix/record.js';
import type { FailureCode } from '../pipeline/failure.js';
import type { PipelineSettings } from '../pipeline/types.js';

/** File name of the manifest inside the output folder. */
export const MANIFEST_NAME = 'manifest.jsonl';

/** Value of the header's `manifest` field; changes when the line format changes. */
export const MANIFEST_FORMAT = 'augmix-pipeline/manifest/v1';

/** First line: what made this output folder. A resumed run must use the same settings. */
export interface ManifestHeader {
  readonly manifest: typeof MANIFEST_FORMAT;
  /** `augmix-pipeline <version>` of the run that created the folder. */
  readonly tool: string;
  /** Every setting that decides the output bytes (resolved, defaults filled in). */
  readonly settings: PipelineSettings;
}

/** One AugMix variant written (its image and its provenance sidecar). */
export interface VariantLine {
  /** The input's relative key. */
  readonly input: string;
  /** The variant image, relative to the output folder. */
  readonly output: string;
  /** The provenance sidecar (the same `record`, as JSON), relative to the output folder. */
  readonly sidecar: string;
  readonly variant: number;
  /** The variant's seed from the core's seed rule. */
  readonly seed: number;
  readonly record: ProvenanceRecord;
}

/** The clean view of an input (JSD mode). */
export interface CleanLine {
  readonly input: string;
  readonly output: string;
  readonly clean: true;
}

/** An input that could not be augmented. */
export interface FailureLine {
  readonly input: string;
  readonly error: { readonly code: FailureCode; readonly message: string };
}

export type ManifestLine = VariantLine | CleanLine | FailureLine;

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
  if (typeof value.output !== 'string') return null;
  if (value.clean === true) return value as unknown as CleanLine;
  const valid =
    typeof value.sidecar === 'string' &&
    Number.isSafeInteger(value.variant) &&
    Number.isSafeInteger(value.seed) &&
    isObject(value.record);
  return valid ? (value as unknown as VariantLine) : null;
}

export function isFailureLine(line: ManifestLine): line is FailureLine {
  return 'error' in line;
}

/** One line of JSON with its newline, as written in one write. */
export function serializeLine(line: ManifestHeader | ManifestLine): string {
  return `${JSON.stringify(line)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
