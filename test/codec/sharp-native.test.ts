import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The compiled module (the suite's global setup builds dist/), loaded in a fresh process below. */
const SHARP_MODULE = new URL('../../dist/src/codec/sharp-module.js', import.meta.url).href;

/**
 * In a fresh process (this one may have loaded sharp already): loads sharp's native library alone, lists the
 * native files and sharp modules then loaded, then loads sharp and lists the native files again.
 */
const PROBE = `
  import { createRequire } from 'node:module';
  const { loadSharpNativeLibrary } = await import(${JSON.stringify(SHARP_MODULE)});
  const cache = createRequire(import.meta.url).cache;
  const nativeFiles = () => Object.keys(cache).filter((file) => file.endsWith('.node'));
  const loaded = loadSharpNativeLibrary();
  const pinned = nativeFiles();
  const sharpModules = Object.keys(cache).filter((file) => file.includes('/sharp/dist/'));
  const { sharpModule } = await import(${JSON.stringify(SHARP_MODULE)});
  const version = sharpModule().versions.vips;
  console.log(JSON.stringify({ loaded, pinned, sharpModules, version, afterSharp: nativeFiles() }));
`;

describe('loadSharpNativeLibrary (the main thread of augmix run keeps libvips loaded)', () => {
  it('loads the native file that sharp itself loads, and none of sharp’s JavaScript', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE], { encoding: 'utf8' });
    const probe = JSON.parse(out) as {
      loaded: boolean;
      pinned: string[];
      sharpModules: string[];
      version: string;
      afterSharp: string[];
    };
    expect(probe.loaded).toBe(true);
    expect(probe.pinned).toHaveLength(1);
    expect(probe.pinned[0]).toMatch(/@img\/sharp-[a-z0-9]+-[a-z0-9]+\/lib\/sharp-.*\.node$/);
    expect(probe.sharpModules).toEqual([]);
    // sharp then loads and works on that same file: no second native file
    expect(probe.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(probe.afterSharp).toEqual(probe.pinned);
  });
});
