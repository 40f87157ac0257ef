import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'augmix-pipeline';

/**
 * `augmix-pipeline <version>` from the package's package.json, found by walking up from this module (the
 * same from `src/` under tsx/vitest and from `dist/src/` when built).
 */
export function toolVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (json.name === PACKAGE_NAME && typeof json.version === 'string')
        return `${PACKAGE_NAME} ${json.version}`;
    } catch {
      // no package.json here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return `${PACKAGE_NAME} unknown`;
    dir = parent;
  }
}
