// Bundles the image work of `augmix run` (part of `npm run build`, after tsc): dist/src/run/image-worker.js (a
// worker thread) and dist/src/run/image-handler.js (the same work, imported by the main thread of a
// one-worker run) are replaced by ESM files that hold them and the project modules they import (packages stay
// imports), so a thread loads a few modules instead of about fifty: about 20-30 ms less CPU per thread at
// start-up. What both entries share is one chunk beside them, and so is the S3 part (imported only by runs
// that use S3), so one thread never holds two copies of a module.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../lib/worker-asset.js';
import { SPLIT_BUNDLE_OPTIONS } from './bundle-options.js';

const RUN_DIR = join(PACKAGE_ROOT, 'dist', 'src', 'run');
const ENTRY = join(RUN_DIR, 'image-worker.js');
const HANDLER = join(RUN_DIR, 'image-handler.js');
/** Where the shared modules and the S3 part go (beside the entry, so the entry's own import.meta.url is unchanged). */
const CHUNKS = 'image-worker-chunks';

/** The bundle's first line: a second run (without tsc in between) leaves it as it is. */
const MARK = '// augmix run worker, bundled by scripts/bundle-run-worker.ts';

for (const entry of [ENTRY, HANDLER]) {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc (npm run build) first`);
}
if (readFileSync(ENTRY, 'utf8').startsWith(MARK)) process.exit(0);
rmSync(join(RUN_DIR, CHUNKS), { recursive: true, force: true });
const result = await build({
  banner: { js: MARK },
  entryPoints: [
    { in: ENTRY, out: 'image-worker' },
    { in: HANDLER, out: 'image-handler' },
  ],
  outdir: RUN_DIR,
  chunkNames: `${CHUNKS}/[name]-[hash]`,
  ...SPLIT_BUNDLE_OPTIONS,
  metafile: true,
});

// A bundled module that resolves a file next to itself would now look beside the bundle: only sharp's loader
// (a package lookup, which finds the same package from there) may use import.meta.url.
for (const file of Object.keys(result.metafile.outputs).filter((name) => name.endsWith('.js'))) {
  const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
  const uses = text.split('import.meta.url').length - 1;
  const allowed = text.split('createRequire(import.meta.url)("sharp")').length - 1;
  if (uses !== allowed) {
    throw new Error(`${file}: a bundled module uses import.meta.url; keep it out of the run worker's bundle`);
  }
}
