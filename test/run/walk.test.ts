import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/run/code-point-order.js';
import { extensionOf, resolveFolder, walkInputs } from '../../src/run/walk.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'augmix-walk-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function files(names: readonly string[]): Promise<void> {
  for (const name of names) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), 'x');
  }
}

describe('walkInputs', () => {
  it('finds images in nested folders, sorted by key, with / separators', async () => {
    // Prepare
    await files(['b.png', 'a/z.JPG', 'a/b/c.webp', 'a.b.gif', 'zz/deep/er/x.tiff']);

    // Act
    const result = await walkInputs(root);

    // Assess
    expect(result.images.map((entry) => entry.key)).toEqual([
      'a.b.gif',
      'a/b/c.webp',
      'a/z.JPG',
      'b.png',
      'zz/deep/er/x.tiff',
    ]);
    expect(result.images[1]!.path).toBe(path.join(await resolveFolder(root), 'a', 'b', 'c.webp'));
  });

  it('counts other files as ignored instead of dropping them', async () => {
    await files(['labels.csv', 'cats/notes.txt', 'cats/1.png', 'README']);

    const result = await walkInputs(root);

    expect(result.images.map((entry) => entry.key)).toEqual(['cats/1.png']);
    expect(result.ignored).toEqual(['README', 'cats/notes.txt', 'labels.csv']);
  });

  it('skips hidden files and folders and counts each once', async () => {
    await files(['.DS_Store', '.cache/a.png', '.cache/b.png', 'x/.hidden.jpg', 'x/shown.jpg']);

    const result = await walkInputs(root);

    expect(result.images.map((entry) => entry.key)).toEqual(['x/shown.jpg']);
    expect(result.hidden).toBe(3);
  });

  it('does not follow symbolic links to files or folders', async () => {
    await files(['real/a.png']);
    await symlink(path.join(root, 'real'), path.join(root, 'linked-dir'));
    await symlink(path.join(root, 'real', 'a.png'), path.join(root, 'linked.png'));

    const result = await walkInputs(root);

    expect(result.images.map((entry) => entry.key)).toEqual(['real/a.png']);
    expect(result.symlinks).toBe(2);
  });

  it('uses the given extensions, case-insensitively, with or without a dot', async () => {
    await files(['a.png', 'b.JPG', 'c.bmp']);

    const result = await walkInputs(root, { extensions: ['.BMP', 'jpg'] });

    expect(result.images.map((entry) => entry.key)).toEqual(['b.JPG', 'c.bmp']);
    expect(result.ignored).toEqual(['a.png']);
  });

  it('leaves out excluded folders (the output folder) and names them', async () => {
    await files(['a.png', 'out/a.png.augmix-00.png', 'out/sub/x.png']);

    const result = await walkInputs(root, { exclude: [path.join(await resolveFolder(root), 'out')] });

    expect(result.images.map((entry) => entry.key)).toEqual(['a.png']);
    expect(result.excluded).toEqual(['out']);
  });

  it('reports names that cannot be relative keys', async () => {
    await files(['back\\slash.png', 'ok.png']);

    const result = await walkInputs(root);

    expect(result.images.map((entry) => entry.key)).toEqual(['ok.png']);
    expect(result.problems).toEqual([{ key: 'back\\slash.png', reason: expect.stringContaining('\\') }]);
  });

  it('rejects a root that does not exist', async () => {
    await expect(walkInputs(path.join(root, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, not by UTF-16 unit', () => {
    const astral = '\u{1F600}'; // surrogate pair, code point above U+FFFF
    const privateUse = '\uE000';

    expect([astral, privateUse, 'b', 'a'].sort(compareCodePoints)).toEqual(['a', 'b', privateUse, astral]);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('a.b', 'a/b')).toBeLessThan(0);
  });
});

describe('extensionOf', () => {
  it('takes the part after the last dot, lower case', () => {
    expect(extensionOf('photo.final.JPEG')).toBe('jpeg');
    expect(extensionOf('README')).toBe('');
  });
});

describe('resolveFolder', () => {
  it('resolves a folder that does not exist yet through its existing parent', async () => {
    const resolved = await resolveFolder(path.join(root, 'not', 'yet'));

    expect(resolved).toBe(path.join(await resolveFolder(root), 'not', 'yet'));
  });
});
