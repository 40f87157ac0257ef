// Builds the Lambda workers into dist/worker and dist/worker-backfill (part of `npm run build`): one minified ESM file with the AWS SDK
// bundled and sharp left external, so the package ships a ready worker and CDK apps need no esbuild.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_ESBUILD_TARGET } from '../lib/lambda-runtime.js';
import {
  BACKFILL_BUNDLE_DIR,
  ESM_REQUIRE_BANNER,
  PACKAGE_ROOT,
  WORKER_BUNDLE_DIR,
} from '../lib/worker-asset.js';

for (const [entry, dir] of [
  ['augment-worker.ts', WORKER_BUNDLE_DIR],
  ['backfill-batch.ts', BACKFILL_BUNDLE_DIR],
] as const) {
  rmSync(dir, { recursive: true, force: true });
  await build({
    entryPoints: [join(PACKAGE_ROOT, 'lambda', entry)],
    outfile: join(dir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_ESBUILD_TARGET,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    external: ['sharp'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
}
