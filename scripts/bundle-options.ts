// What the two bundles of built JavaScript (scripts/bundle-run-worker.ts, scripts/bundle-cli.ts) share: ESM for
// Node.js, the project's modules bundled over entries that share chunks, packages left as imports (so a package
// is loaded from node_modules once, whichever bundle asks), source maps beside them.
import type { BuildOptions } from 'esbuild';
import { PACKAGE_ROOT } from '../lib/worker-asset.js';

export const SPLIT_BUNDLE_OPTIONS = {
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  absWorkingDir: PACKAGE_ROOT,
  logLevel: 'warning',
} as const satisfies BuildOptions;
