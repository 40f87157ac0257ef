/** Machine-readable reasons an input could not be augmented. */
export const ERROR_CODES = [
  'empty',
  'truncated',
  'not-an-image',
  'unsupported-format',
  'too-many-pixels',
  'too-many-bytes',
  'name-too-long',
  'invalid-key',
  'gone',
  'superseded',
  'invalid-parameter',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A permanent failure of one input: retrying the same bytes cannot succeed. Front ends record it (manifest
 * line, failure object) and go on with the rest of the batch. Anything that is not an `InputError` is treated
 * as transient (I/O, throttling) by the Lambda worker and retried.
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  constructor(
    readonly code: ErrorCode,
    /** The input (file path or relative key) the error is about. */
    readonly input: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${input}: ${message}`, options);
  }

  /** The `error` object written to manifests and failure records. */
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
