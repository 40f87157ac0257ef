import { everyOutputName, longestSuffixBytes } from '../augmix/layout.js';
import { InputError } from '../codec/input-error.js';
import type { PipelineSettings } from '../pipeline/types.js';

/** The longest file or folder name (one path segment) Linux, macOS and Windows file systems store, in bytes. */
export const MAX_NAME_BYTES = 255;

/**
 * Throws `InputError` `name-too-long` when one of the input's output files would have a name (any path
 * segment) over {@link MAX_NAME_BYTES} bytes, before anything is written. Temporary files never make a name
 * fail: their names are short (see `atomic-write.ts`).
 */
export function assertStorableLocally(relativeKey: string, settings: PipelineSettings): void {
  if (fitsLocally(relativeKey, settings)) return;
  for (const name of everyOutputName(relativeKey, settings.variants, settings.jsd)) {
    for (const segment of name.split('/')) {
      const bytes = Buffer.byteLength(segment, 'utf8');
      if (bytes > MAX_NAME_BYTES) {
        throw new InputError(
          'name-too-long',
          relativeKey,
          `its output file name ${JSON.stringify(segment)} would be ${bytes} bytes; file systems store at most ` +
            `${MAX_NAME_BYTES} bytes per name`,
        );
      }
    }
  }
}

/** The longest suffix of the last settings asked about (settings do not change within a run). */
let suffixOf: { readonly variants: number; readonly jsd: boolean; readonly bytes: number } | null = null;

/**
 * Whether every output name of the input fits, without making them: every output name is the key plus a
 * suffix without "/", so its folders are the key's and its last segment is the key's plus at most
 * `longestSuffixBytes`. Names are checked this way once per input; the names themselves only for the error.
 */
function fitsLocally(relativeKey: string, settings: PipelineSettings): boolean {
  const { variants, jsd } = settings;
  if (suffixOf === null || suffixOf.variants !== variants || suffixOf.jsd !== jsd) {
    suffixOf = { variants, jsd, bytes: longestSuffixBytes(variants, jsd) };
  }
  // at most 3 UTF-8 bytes per UTF-16 unit: a short key fits without counting
  if (relativeKey.length * 3 + suffixOf.bytes <= MAX_NAME_BYTES) return true;
  const slash = relativeKey.lastIndexOf('/');
  for (const folder of slash === -1 ? [] : relativeKey.slice(0, slash).split('/')) {
    if (Buffer.byteLength(folder, 'utf8') > MAX_NAME_BYTES) return false;
  }
  return Buffer.byteLength(relativeKey.slice(slash + 1), 'utf8') + suffixOf.bytes <= MAX_NAME_BYTES;
}
