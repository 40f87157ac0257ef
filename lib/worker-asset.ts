import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';

/** This package's root: the nearest folder above this file whose package.json is augmix-pipeline's. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The worker, prebuilt by `npm run build` (`scripts/build-worker.ts`, esbuild): one ESM file bundling the
 * handler, our code and the AWS SDK, with sharp left external. It ships in the package, so a CDK app that
 * installs augmix-pipeline needs neither esbuild nor our sources to deploy the worker.
 */
export const WORKER_BUNDLE_DIR = join(PACKAGE_ROOT, 'dist', 'worker');

/** The prebuilt backfill worker (`lambda/backfill-batch.ts`: `handler` for a batch, `finalizeHandler`), beside it. */
export const BACKFILL_BUNDLE_DIR = join(PACKAGE_ROOT, 'dist', 'worker-backfill');

/** The files of a prebuilt worker. */
export const WORKER_BUNDLE_FILES = ['index.mjs', 'index.mjs.map'] as const;

/**
 * npm's platform settings for installing sharp into the asset: its optional `@img/*` packages are picked for
 * Lambda's linux-arm64 glibc, whatever machine synthesizes.
 */
export const ARM64_NPM_ENVIRONMENT = {
  npm_config_os: 'linux',
  npm_config_cpu: 'arm64',
  npm_config_libc: 'glibc',
} as const;

/**
 * The ESM bundle's banner: CommonJS dependencies bundled into ESM call `require` for Node built-ins, which
 * ESM lacks. The import is aliased so it cannot clash with a bundled module's own names.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __augmixCreateRequire } from 'node:module'; " +
  'const require = __augmixCreateRequire(import.meta.url);';

/** The sharp version this package runs with (the one installed beside it), pinned exactly in the asset. */
export function sharpVersion(): string {
  // sharp's `exports` hide its package.json: walk up from its entry point.
  const entry = createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('sharp');
  for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string;
      version: string;
    };
    if (name === 'sharp') return version;
  }
  throw new Error(`No package.json of sharp above ${entry}`);
}

/**
 * A worker's Lambda code (`bundleDir`: the event worker's by default, or {@link BACKFILL_BUNDLE_DIR}): the prebuilt bundle plus sharp installed for linux-arm64, assembled at synth on
 * this machine (local bundling: copy two files, `npm install sharp` with npm's platform settings; never
 * Docker). The lock file and `.bin` links npm leaves are removed, so the asset is symlink-free (Lambda zips
 * cannot hold symlinks).
 */
export function workerCode(bundleDir: string = WORKER_BUNDLE_DIR): Code {
  if (!existsSync(join(bundleDir, 'index.mjs'))) {
    throw new Error(
      `The prebuilt AugMix worker ${join(bundleDir, 'index.mjs')} is missing: run \`npm run build\` ` +
        '(it is part of the published package).',
    );
  }
  return Code.fromAsset(bundleDir, {
    bundling: {
      // Required by the API, never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          assembleWorkerAsset(outputDir, bundleDir);
          return true;
        },
      },
    },
  });
}

/** Writes the worker asset into `outputDir`: the bundle, a package.json pinning sharp, sharp for linux-arm64. */
export function assembleWorkerAsset(outputDir: string, bundleDir: string = WORKER_BUNDLE_DIR): void {
  for (const file of WORKER_BUNDLE_FILES) copyFileSync(join(bundleDir, file), join(outputDir, file));
  writeFileSync(
    join(outputDir, 'package.json'),
    `${JSON.stringify({ dependencies: { sharp: sharpVersion() } })}\n`,
  );
  execFileSync(
    'npm',
    ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    {
      cwd: outputDir,
      env: { ...process.env, ...ARM64_NPM_ENVIRONMENT },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (const leftover of ['package-lock.json', 'node_modules/.package-lock.json', 'node_modules/.bin']) {
    rmSync(join(outputDir, leftover), { recursive: true, force: true });
  }
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'augmix-pipeline'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`No augmix-pipeline package.json above ${start}`);
  }
}
