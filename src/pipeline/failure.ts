import { type ErrorCode, InputError } from '../codec/input-error.js';
import type { SourceVersion } from './provenance.js';

/**
 * The code of a failure record: an {@link InputError}'s code, or `internal` for anything else (a bug or an
 * environment problem, not something wrong with the input; retrying may succeed).
 */
export type FailureCode = ErrorCode | 'internal';

/** What is written for an input that could not be augmented (`K.augmix-error.json`, manifest lines). */
export interface FailureRecord {
  readonly version: 1;
  /** The input's relative key (or file path). */
  readonly input: string;
  readonly error: { readonly code: FailureCode; readonly message: string };
  /** The source version that failed (key, ETag, size), when it was read. */
  readonly source?: SourceVersion;
}

/**
 * Builds the failure record of `input`. An {@link InputError} keeps its code and message (its `toJSON()`);
 * any other error becomes code `internal` with its message (never its stack).
 *
 * @example
 * failureRecord('cats/1.jpg', new InputError('truncated', 'cats/1.jpg', 'truncated or corrupt JPEG data'));
 * // { version: 1, input: 'cats/1.jpg', error: { code: 'truncated', message: 'cats/1.jpg: truncated or ...' } }
 */
export function failureRecord(input: string, error: unknown, source?: SourceVersion): FailureRecord {
  const extra = source === undefined ? {} : { source };
  if (error instanceof InputError) return { version: 1, input, error: error.toJSON(), ...extra };
  const message = error instanceof Error ? error.message : String(error);
  return { version: 1, input, error: { code: 'internal', message: message || 'unknown error' }, ...extra };
}
