import { createHash } from 'node:crypto';
import { longestSuffixBytes } from '../../augmix/layout.js';
import { assertRelativeKey } from '../../augmix/seed.js';
import { InputError } from '../../codec/input-error.js';
import type { PipelineSettings } from '../../pipeline/types.js';

/** S3's longest object key, in UTF-8 bytes. */
export const S3_MAX_KEY_BYTES = 1024;

/** Folder (under the output prefix) of the failure records of keys that have no output names of their own. */
export const HASHED_FAILURES_FOLDER = 'augmix-failures/';

/** What checking a key's output names found. */
export type KeyCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** The object key (or file path) as given. */
      readonly key: string;
      readonly error: InputError;
      /** Where its failure record goes (a hashed name that fits), or `null` when even that does not fit. */
      readonly recordKey: string | null;
    };

/**
 * Checks, before anything is written, that an input's outputs can be stored: its relative key must mirror
 * into output names (no empty, `.` or `..` segment, no leading `/`, no `\`: `invalid-key`), and its longest
 * output name under `outputPrefix` must fit S3's 1,024-byte key limit (`name-too-long`). A key that fails
 * gets its failure record at {@link hashedFailureKey}.
 *
 * @param objectKey the object key (input prefix included), hashed for the record's name
 * @param relativeKey the key the layout mirrors
 */
export function checkObjectKey(
  objectKey: string,
  relativeKey: string,
  config: { readonly outputPrefix: string; readonly settings: PipelineSettings },
): KeyCheck {
  const { outputPrefix, settings } = config;
  let error: InputError | null = null;
  try {
    assertRelativeKey(relativeKey);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    error = new InputError('invalid-key', objectKey, `cannot be mirrored to output names: ${message}`, {
      cause,
    });
  }
  if (error === null) {
    const longest =
      utf8Length(outputPrefix) +
      utf8Length(relativeKey) +
      longestSuffixBytes(settings.variants, settings.jsd);
    if (longest <= S3_MAX_KEY_BYTES) return { ok: true };
    error = new InputError(
      'name-too-long',
      objectKey,
      `its longest output key would be ${longest} bytes (output prefix + relative key + suffix); S3 keys ` +
        `hold at most ${S3_MAX_KEY_BYTES} bytes`,
    );
  }
  const recordKey = hashedFailureKey(outputPrefix, objectKey);
  return {
    ok: false,
    key: objectKey,
    error,
    recordKey: utf8Length(recordKey) <= S3_MAX_KEY_BYTES ? recordKey : null,
  };
}

/** `<outputPrefix>augmix-failures/<SHA-256 of the object key, hex>.json`: 100 bytes plus the prefix. */
export function hashedFailureKey(outputPrefix: string, objectKey: string): string {
  const hash = createHash('sha256').update(objectKey, 'utf8').digest('hex');
  return `${outputPrefix}${HASHED_FAILURES_FOLDER}${hash}.json`;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
