import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, PACKAGE_ROOT as PROJECT_ROOT } from '../../lib/worker-asset.js';
import { elfMachine, walk, workerBundle } from './worker-bundle.js';

const AARCH64 = 183;
/** Lambda's limit on a function's unzipped deployment package. */
const LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024;

describe('the worker asset, bundled for real', () => {
  let dir: string;
  let files: ReturnType<typeof walk>;

  beforeAll(async () => {
    const bundle = await workerBundle();
    dir = bundle.dir;
    files = walk(dir);
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    process.stdout.write(
      `worker asset: ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${files.length} entries` +
        `${bundle.bundled ? `, bundled in ${bundle.seconds.toFixed(1)} s` : ' (cached)'}\n`,
    );
  }, 300_000);

  it('is one ESM file with the createRequire banner, sharp left external and the AWS SDK bundled', () => {
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    // sharp is required at run time from the asset's node_modules (src/codec/sharp-module.ts loads it on first
    // use), never inlined: its loader (which names its sharp-libvips-* packages) and native addon are not in the
    // bundle
    expect(code).toMatch(/\(\s*"sharp"\s*\)/);
    expect(code).not.toContain('sharp-linux-arm64.node');
    expect(code).not.toContain('sharp-libvips-');
    expect(code).toContain('S3Client');
    expect(readdirSync(join(dir, 'node_modules'))).not.toContain('@aws-sdk');
    expect(files.map((f) => f.path)).toContain('index.mjs.map');
  });

  it('holds sharp, pinned to the version installed beside the package, with its linux-arm64 native build and libvips', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const rootSharp = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'node_modules/sharp/package.json'), 'utf8'),
    ).version;
    expect(pkg).toEqual({ dependencies: { sharp: rootSharp } });
    expect(JSON.parse(readFileSync(join(dir, 'node_modules/sharp/package.json'), 'utf8')).version).toBe(
      rootSharp,
    );

    const addonLib = join(dir, 'node_modules/@img/sharp-linux-arm64/lib');
    const addons = readdirSync(addonLib).filter((name) => /^sharp-linux-arm64.*\.node$/.test(name));
    expect(addons).toHaveLength(1);
    expect(elfMachine(join(addonLib, addons[0]!))).toBe(AARCH64);
    const vipsLib = join(dir, 'node_modules/@img/sharp-libvips-linux-arm64/lib');
    const libvips = readdirSync(vipsLib).filter((name) => name.startsWith('libvips-cpp.so'));
    expect(libvips).toHaveLength(1);
    expect(elfMachine(join(vipsLib, libvips[0]!))).toBe(AARCH64);
  });

  it('holds no build for another platform (x64, musl, macOS, Windows, wasm)', () => {
    const img = readdirSync(join(dir, 'node_modules/@img')).sort();
    expect(img).toEqual(['colour', 'sharp-libvips-linux-arm64', 'sharp-linux-arm64']);
    const foreign = files.filter((f) => /x64|x86_64|musl|darwin|win32|wasm/i.test(f.path));
    expect(foreign.map((f) => f.path)).toEqual([]);
    const natives = files.filter((f) => /\.(node|so(\.\d+)*)$/.test(f.path));
    expect(natives.length).toBeGreaterThan(0);
    for (const native of natives) expect(elfMachine(join(dir, native.path)), native.path).toBe(AARCH64);
  });

  it('has no lock file and no symlink (Lambda zips cannot hold symlinks), and fits Lambda\u2019s size limit', () => {
    const names = files.map((f) => f.path.split('/').pop());
    expect(names).not.toContain('package-lock.json');
    expect(names).not.toContain('.package-lock.json');
    expect(files.filter((f) => f.symlink).map((f) => f.path)).toEqual([]);
    expect(files.reduce((sum, f) => sum + f.size, 0)).toBeLessThan(LAMBDA_UNZIPPED_LIMIT);
  });
});
