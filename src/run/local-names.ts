import { everyOutputName } from '../augmix/layout.js';
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
