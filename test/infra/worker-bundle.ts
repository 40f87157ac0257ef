import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import { AugmixPipelineStack } from '../../lib/augmix-pipeline-stack.js';
import { PACKAGE_ROOT as PROJECT_ROOT } from '../../lib/worker-asset.js';

/** Where bundled worker assets are kept, one folder per content hash of what goes into them. */
export const BUNDLE_CACHE = join(PROJECT_ROOT, '.cache', 'worker-bundle');

/** Everything the asset is built from: the worker, the code it imports, the CDK code, the build script, the lock file. */
const INPUTS = ['lambda', 'src', 'lib', 'scripts/build-worker.ts', 'package.json', 'package-lock.json'];

const LOCK_STALE_MS = 10 * 60_000;

/**
 * The worker's Lambda asset, assembled for real (the prebuilt bundle + sharp installed for linux-arm64) by synthesizing the
 * stack, exactly as `cdk synth` does. The asset is cached under `.cache/worker-bundle/<hash of the inputs>`
 * so the bundling test and the arm64 smoke test (separate test files, possibly running at once) share one
 * bundle per change of the code; a lock folder makes the second caller wait for the first.
 *
 * @returns the asset folder (holding `index.mjs` and `node_modules/`) and whether this call bundled it
 */
export async function workerBundle(): Promise<{ dir: string; bundled: boolean; seconds: number }> {
  const dir = join(BUNDLE_CACHE, inputsHash());
  const ready = () => existsSync(join(dir, 'index.mjs'));
  if (ready()) return { dir, bundled: false, seconds: 0 };

  mkdirSync(BUNDLE_CACHE, { recursive: true });
  const lock = `${dir}.lock`;
  while (!tryLock(lock)) {
    if (ready()) return { dir, bundled: false, seconds: 0 };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    if (ready()) return { dir, bundled: false, seconds: 0 };
    const started = performance.now();
    const outdir = `${dir}.synth-${process.pid}`;
    rmSync(outdir, { recursive: true, force: true });
    const app = new App({ outdir });
    // The event worker's asset only (the backfill worker is a second asset of its own).
    new AugmixPipelineStack(app, 'AugmixBundle', { backfillEnabled: false });
    app.synth();
    const assets = readdirSync(outdir).filter(
      (name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'index.mjs')),
    );
    if (assets.length !== 1)
      throw new Error(`Expected one worker asset in ${outdir}, found ${assets.join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(outdir, assets[0]!), dir);
    rmSync(outdir, { recursive: true, force: true });
    pruneOtherBundles(dir);
    return { dir, bundled: true, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Removes bundles of earlier code (20 MiB each); folders being written (`.lock`, `.synth-*`) are kept. */
function pruneOtherBundles(keep: string): void {
  for (const name of readdirSync(BUNDLE_CACHE)) {
    const path = join(BUNDLE_CACHE, name);
    if (path !== keep && /^[0-9a-f]{16}$/.test(name)) rmSync(path, { recursive: true, force: true });
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
    } catch {
      // The lock went away meanwhile: try again.
    }
    return false;
  }
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(PROJECT_ROOT, input))).sort()) {
    hash.update(relative(PROJECT_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(path, entry.name)) : [join(path, entry.name)],
  );
}

/** Every path under `dir` (relative), with its kind, without following symlinks. */
export function walk(dir: string): { path: string; symlink: boolean; size: number }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).map((entry) => {
    const full = join(entry.parentPath, entry.name);
    return {
      path: relative(dir, full),
      symlink: entry.isSymbolicLink(),
      size: entry.isFile() ? statSync(full).size : 0,
    };
  });
}

/** ELF machine of a shared object or executable: 183 = AArch64, 62 = x86-64. */
export function elfMachine(file: string): number {
  const header = readFileSync(file).subarray(0, 20);
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  return header.readUInt16LE(18);
}
