import { execFile } from 'node:child_process';
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's order is install, `npx augmix run samples augmented`, then `npm test`: lint must skip what
// .gitignore ignores (augmented/ holds JSON records Biome would otherwise check).

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const PROBE = join(ROOT, 'augmented', `.lint-probe-${process.pid}`);
const biome = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');

describe('lint and .gitignore', () => {
  beforeAll(async () => {
    await mkdir(PROBE, { recursive: true });
    await writeFile(join(PROBE, 'record.json'), '{ not json');
    await writeFile(join(PROBE, 'code.ts'), 'var x = 1');
  });
  afterAll(async () => {
    await rm(PROBE, { recursive: true, force: true });
    await rmdir(join(ROOT, 'augmented')).catch(() => undefined); // only when empty: never a user's outputs
  });

  it('biome check passes with broken files in a git-ignored output folder', async () => {
    const result = await run(process.execPath, [biome, 'check', '.'], { cwd: ROOT }).then(
      () => 'passed',
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );
    expect(result).toBe('passed');
  });

  it('would have failed on them without the ignore file (the probe is real)', async () => {
    const result = await run(process.execPath, [biome, 'check', '--vcs-use-ignore-file=false', PROBE], {
      cwd: ROOT,
    }).then(
      () => 'passed',
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );
    expect(result).toContain('record.json');
  });
});
