import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  liveTempFileCount,
  removeLiveTempFiles,
  removeStaleTempFiles,
  TEMP_PREFIX,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../src/run/atomic-write.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'augmix-atomic-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes the bytes under the final name, creating folders, and leaves no temporary file', async () => {
    // Act
    await writeFileAtomic(path.join(dir, 'a', 'b', 'x.bin'), new Uint8Array([1, 2, 3]));

    // Assess
    expect([...(await readFile(path.join(dir, 'a', 'b', 'x.bin')))]).toEqual([1, 2, 3]);
    expect(await readdir(path.join(dir, 'a', 'b'))).toEqual(['x.bin']);
  });

  it('replaces an existing file whole', async () => {
    await writeFile(path.join(dir, 'x.txt'), 'old contents that are longer');

    await writeFileAtomic(path.join(dir, 'x.txt'), 'new');

    expect(await readFile(path.join(dir, 'x.txt'), 'utf8')).toBe('new');
  });

  it('tracks the temporary file while writing so that an exit handler can delete it', async () => {
    const target = path.join(dir, 'big.bin');
    const writing = writeFileAtomic(target, new Uint8Array(8 * 1024 * 1024));
    const trackedDuringWrite = liveTempFileCount();
    removeLiveTempFiles();
    const outcome = await writing.then(
      () => 'written',
      () => 'failed',
    );

    expect(trackedDuringWrite).toBe(1);
    expect(liveTempFileCount()).toBe(0);
    expect((await readdir(dir)).filter((name) => name.startsWith(TEMP_PREFIX))).toEqual([]);
    if (outcome === 'written') expect((await readFile(target)).length).toBe(8 * 1024 * 1024);
  });

  it('fails with the file-system error and cleans up when the folder is not writable', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits: simulate an unwritable target with a folder in the way instead
      await mkdir(path.join(dir, 'x.png'));
      await expect(writeFileAtomic(path.join(dir, 'x.png'), 'data')).rejects.toMatchObject({
        code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/),
      });
    } else {
      await chmod(dir, 0o500);
      await expect(writeFileAtomic(path.join(dir, 'x.png'), 'data')).rejects.toMatchObject({
        code: 'EACCES',
      });
    }
    expect((await readdir(dir)).filter((name) => name.startsWith(TEMP_PREFIX))).toEqual([]);
  });
});

describe('writeFileAtomicSync', () => {
  it('writes the bytes under the final name, creating folders, and leaves no temporary file', () => {
    writeFileAtomicSync(path.join(dir, 'a', 'x.bin'), new Uint8Array([4, 5]));
    writeFileAtomicSync(path.join(dir, 'a', 'x.bin'), new Uint8Array([6]));

    expect([...readFileSync(path.join(dir, 'a', 'x.bin'))]).toEqual([6]);
    expect(readdirSync(path.join(dir, 'a'))).toEqual(['x.bin']);
  });

  it('fails with the file-system error and cleans up; creates a folder removed since', () => {
    mkdirSync(path.join(dir, 'x.png'));
    expect(() => writeFileAtomicSync(path.join(dir, 'x.png'), 'data')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['x.png']);

    writeFileAtomicSync(path.join(dir, 'sub', 'y.txt'), 'one');
    rmSync(path.join(dir, 'sub'), { recursive: true });
    writeFileAtomicSync(path.join(dir, 'sub', 'y.txt'), 'two');
    expect(readFileSync(path.join(dir, 'sub', 'y.txt'), 'utf8')).toBe('two');
  });
});

describe('removeStaleTempFiles', () => {
  it('deletes temporary files at any depth and nothing else', async () => {
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, `${TEMP_PREFIX}1-0-1-a.png`), 'x');
    await writeFile(path.join(dir, 'sub', `${TEMP_PREFIX}22-3-7-b.png`), 'x');
    await writeFile(path.join(dir, 'sub', 'b.png'), 'x');
    await writeFile(path.join(dir, `${TEMP_PREFIX}notes.txt`), 'x');

    const removed = await removeStaleTempFiles(dir);

    expect(removed).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([`${TEMP_PREFIX}notes.txt`, 'sub']);
    expect(await readdir(path.join(dir, 'sub'))).toEqual(['b.png']);
  });
});
