import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/codec/index.js';
import {
  augmix,
  listFiles,
  manifestLines,
  SAMPLES,
  snapshotFiles,
  sortedManifest,
  writePicture,
  writeText,
} from './run-fixtures.js';

let work: string;
let mixed: string;

/**
 * A dataset as users have them: nested class folders, several formats, a grey image, non-image files, a
 * hidden file, and three bad files among the good ones.
 */
async function makeMixedDataset(root: string): Promise<void> {
  await writePicture(path.join(root, 'cat', 'a.png'), 48, 40, 1);
  await writePicture(path.join(root, 'cat', 'deep', 'b.jpg'), 40, 48, 2);
  await writePicture(path.join(root, 'dog', 'c.webp'), 36, 36, 3);
  await copyFile(path.join(SAMPLES, 'grey.png'), path.join(root, 'grey.png'));
  await writeText(path.join(root, 'labels.csv'), 'file,label\ncat/a.png,cat\n');
  await writeText(path.join(root, 'dog', 'notes.txt'), 'good dog');
  await writeText(path.join(root, '.hidden.png'), 'not looked at');
  await writeText(path.join(root, 'bad', 'empty.png'), '');
  await writeText(path.join(root, 'bad', 'text.jpg'), 'this is not a JPEG');
  const png = await encode((await decode(await readFile(path.join(root, 'cat', 'a.png')))).image, 'png');
  await writeText(path.join(root, 'bad', 'truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'augmix-run-e2e-'));
  mixed = path.join(work, 'mixed');
  await makeMixedDataset(mixed);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('augmix run on a mixed folder', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof augmix>>;

  beforeAll(async () => {
    out = path.join(work, 'out-mixed');
    result = await augmix(['run', mixed, out, '--variants', '2', '--json', '--concurrency', '2']);
  });

  it('exits 1 because some inputs failed, and says so in the JSON summary', () => {
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      images: 7,
      processed: 7,
      failed: 3,
      skipped: 0,
      variants: 8,
      ignored: 2,
      hidden: 1,
      interrupted: false,
    });
  });

  it('writes variants and one provenance document per input mirroring the input tree, in the input format', async () => {
    const files = await listFiles(out);

    expect(files).toEqual(
      [
        'cat/a.png.augmix-00.png',
        'cat/a.png.augmix-01.png',
        'cat/a.png.augmix.json',
        'cat/deep/b.jpg.augmix-00.jpg',
        'cat/deep/b.jpg.augmix-01.jpg',
        'cat/deep/b.jpg.augmix.json',
        'dog/c.webp.augmix-00.webp',
        'dog/c.webp.augmix-01.webp',
        'dog/c.webp.augmix.json',
        'grey.png.augmix-00.png',
        'grey.png.augmix-01.png',
        'grey.png.augmix.json',
        'manifest.jsonl',
      ].sort(),
    );
    const variant = await decode(await readFile(path.join(out, 'dog', 'c.webp.augmix-01.webp')));
    expect(variant).toMatchObject({ format: 'webp', image: { width: 36, height: 36 } });
  });

  it('records the settings, every input done and every failure in the manifest', async () => {
    const [header, ...lines] = await manifestLines(out);

    expect(header).toMatchObject({
      manifest: 'augmix-pipeline/manifest/v2',
      tool: expect.stringMatching(/^augmix-pipeline /),
      settings: { variants: 2, seed: 0, severity: 3, format: 'same', jsd: false },
    });
    const failures = lines.filter((line) => 'error' in line);
    expect(failures.map((line) => [line.input, (line.error as { code: string }).code]).sort()).toEqual([
      ['bad/empty.png', 'empty'],
      ['bad/text.jpg', 'not-an-image'],
      ['bad/truncated.png', 'truncated'],
    ]);
    const done = lines.filter((line) => 'document' in line);
    expect(done).toHaveLength(4);
    for (const line of done) {
      const file = path.join(mixed, line.input as string);
      const bytes = await readFile(file);
      const document = JSON.parse(await readFile(path.join(out, line.document as string), 'utf8'));
      expect(document).toMatchObject({
        document: 'augmix-pipeline/provenance/v1',
        input: line.input,
        source: {
          key: line.input,
          eTag: createHash('md5').update(bytes).digest('hex'),
          size: bytes.length,
        },
        clean: null,
      });
      expect(line.source).toEqual({ size: bytes.length, mtimeMs: (await stat(file)).mtimeMs });
      const variants = line.variants as { variant: number; seed: number; output: string }[];
      expect(
        document.variants.map((v: { variant: number; seed: number; output: string }) => [
          v.variant,
          v.seed,
          v.output,
        ]),
      ).toEqual(variants.map((v) => [v.variant, v.seed, v.output]));
      for (const variant of document.variants) {
        expect(variant.record).toMatchObject({ version: 1, decode: expect.any(Object) });
      }
    }
  });

  it('reports each bad file on stderr with its path and reason', () => {
    for (const name of ['empty.png', 'text.jpg', 'truncated.png']) {
      expect(result.stderr).toContain(path.join(mixed, 'bad', name));
    }
    expect(result.stderr).toMatch(/empty\.png: .*\[empty\]/);
  });

  it('skips everything on a rerun with the same options, writes nothing new, and retries failures', async () => {
    const before = await snapshotFiles(out);

    const again = await augmix(['run', mixed, out, '--variants', '2', '--json']);

    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: 4, processed: 3, failed: 3, variants: 0 });
    expect(again.stderr).toContain('trying 3 input(s) that failed before again');
    expect(await snapshotFiles(out)).toEqual(before);
    const lines = await manifestLines(out);
    expect(lines.filter((line) => 'error' in line)).toHaveLength(3);
    expect(lines).toHaveLength(1 + 4 + 3);
  });

  it('refuses to resume with other options (exit 2, naming them), and --force starts over', async () => {
    const refused = await augmix(['run', mixed, out, '--variants', '2', '--severity', '5', '--all-ops']);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--severity: 3 in the folder, 5 now');
    expect(refused.stderr).toContain('--all-ops: false in the folder, true now');

    const forced = await augmix([
      'run',
      mixed,
      out,
      '--variants',
      '2',
      '--severity',
      '5',
      '--force',
      '--quiet',
    ]);

    expect(forced.code).toBe(1);
    const [header, ...lines] = await manifestLines(out);
    expect(header).toMatchObject({ settings: { severity: 5 } });
    expect(lines.filter((line) => 'document' in line)).toHaveLength(4);
    expect(forced.stdout).toBe('');
  });
});

describe('augmix run records that replay', () => {
  it('reproduces every PNG variant from the original file through augmix replay', async () => {
    const out = path.join(work, 'out-replay');
    const run = await augmix([
      'run',
      mixed,
      out,
      '--variants',
      '2',
      '--format',
      'png',
      '--all-ops',
      '--quiet',
    ]);
    expect(run.code).toBe(1);

    const done = (await manifestLines(out)).filter((line) => 'document' in line);
    expect(done).toHaveLength(4);
    for (const line of done) {
      const variants = line.variants as { variant: number; output: string }[];
      for (const [i, variant] of variants.entries()) {
        const replayed = path.join(work, 'replayed.png');
        // by index, and by the output's name
        const choice = i === 0 ? String(variant.variant) : path.basename(variant.output);
        const replay = await augmix([
          'replay',
          path.join(out, line.document as string),
          path.join(mixed, line.input as string),
          replayed,
          '--variant',
          choice,
        ]);
        expect(replay.code, replay.stderr).toBe(0);
        const expected = await decode(await readFile(path.join(out, variant.output)));
        const actual = await decode(await readFile(replayed));
        expect(Buffer.from(actual.image.data).equals(Buffer.from(expected.image.data)), variant.output).toBe(
          true,
        );
      }
    }
    const first = done[0]!;
    const ambiguous = await augmix([
      'replay',
      path.join(out, first.document as string),
      path.join(mixed, first.input as string),
      path.join(work, 'x.png'),
    ]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('choose one with --variant');
  });
});

describe('augmix run determinism and layout', () => {
  it('writes byte-identical files and the same sorted manifest with --concurrency 1 and 2', async () => {
    const one = path.join(work, 'out-c1');
    const two = path.join(work, 'out-c2');

    const [first, second] = [
      await augmix(['run', mixed, one, '--concurrency', '1', '--seed', '7', '--quiet']),
      await augmix(['run', mixed, two, '--concurrency', '2', '--seed', '7', '--quiet']),
    ];

    expect([first.code, second.code]).toEqual([1, 1]);
    expect(await snapshotFiles(two)).toEqual(await snapshotFiles(one));
    expect(await sortedManifest(two)).toEqual(await sortedManifest(one));
  });

  it('names JSD outputs so a loader can group them: the clean view and pairs a/b', async () => {
    const input = path.join(work, 'jsd-in');
    const out = path.join(work, 'jsd-out');
    await writePicture(path.join(input, 'x.png'), 32, 32, 4);

    const result = await augmix(['run', input, out, '--jsd', '--variants', '2', '--quiet']);

    expect(result.code).toBe(0);
    expect((await listFiles(out)).filter((name) => name.endsWith('.png'))).toEqual([
      'x.png.clean.png',
      'x.png.jsd-00a.png',
      'x.png.jsd-00b.png',
      'x.png.jsd-01a.png',
      'x.png.jsd-01b.png',
    ]);
    const lines = (await manifestLines(out)).slice(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ input: 'x.png', clean: 'x.png.clean.png' });
    expect((lines[0]!.variants as { variant: number }[]).map((v) => v.variant)).toEqual([0, 1, 2, 3]);
    const clean = await decode(await readFile(path.join(out, 'x.png.clean.png')));
    const original = await decode(await readFile(path.join(input, 'x.png')));
    expect(Buffer.from(clean.image.data).equals(Buffer.from(original.image.data))).toBe(true);
  });

  it('leaves out an output folder that lies inside the input folder', async () => {
    const input = path.join(work, 'inside');
    await writePicture(path.join(input, 'x.png'), 24, 24, 5);
    const out = path.join(input, 'augmented');

    const first = await augmix(['run', input, out, '--variants', '1', '--json']);
    const second = await augmix(['run', input, out, '--variants', '1', '--json']);

    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ images: 1, variants: 1 });
    expect(JSON.parse(second.stdout)).toMatchObject({ images: 1, skipped: 1, variants: 0 });
    expect(second.stderr).toContain('leaving out augmented/');
  });

  it('runs on the committed samples out of the box', async () => {
    const out = path.join(work, 'samples-out');

    const result = await augmix(['run', SAMPLES, out]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/6 images \(6 done, 0 failed, 0 skipped \(done before\)\), 24 variants/);
    expect(result.stdout).toMatch(/1 ignored/);
  });
});

describe('augmix run exit codes', () => {
  it('exits 2 for usage errors', async () => {
    const missing = await augmix(['run', mixed]);
    const badValue = await augmix(['run', mixed, path.join(work, 'x'), '--severity', '11']);
    const noInput = await augmix(['run', path.join(work, 'nope'), path.join(work, 'x')]);
    const same = await augmix(['run', mixed, mixed]);
    const unknown = await augmix(['run', mixed, path.join(work, 'x'), '--severty', '3']);
    const fileOutput = path.join(work, 'output-is-a-file');
    await writeFile(fileOutput, 'not a folder');
    const outputIsFile = await augmix(['run', mixed, fileOutput]);

    expect([missing.code, badValue.code, noInput.code, same.code, unknown.code, outputIsFile.code]).toEqual([
      2, 2, 2, 2, 2, 2,
    ]);
    expect(badValue.stderr).toMatch(/severity/);
    expect(noInput.stderr).toMatch(/does not exist/);
    expect(outputIsFile.stderr).toContain(
      `output ${JSON.stringify(fileOutput)} is a file; expected a folder`,
    );
  });

  it('exits 3 when the output folder cannot be written', async () => {
    const blocker = path.join(work, 'a-file');
    await writeFile(blocker, 'in the way');

    const result = await augmix(['run', mixed, path.join(blocker, 'out')]);

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot use the output folder/);
  });

  it('exits 3 when an output file cannot be written, naming the folder', async () => {
    const input = path.join(work, 'blocked-in');
    const out = path.join(work, 'blocked-out');
    await writePicture(path.join(input, 'x.png'), 20, 20, 7);
    await mkdir(path.join(out, 'x.png.augmix-00.png'), { recursive: true });

    const result = await augmix(['run', input, out, '--variants', '1']);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot write to ${out}`);
    expect((await listFiles(out)).filter((name) => name.includes('augmix-tmp'))).toEqual([]);
  });

  it('takes image extensions from --ext and counts the rest as ignored', async () => {
    const result = await augmix([
      'run',
      mixed,
      path.join(work, 'ext-out'),
      '--ext',
      'PNG',
      '--json',
      '--quiet',
    ]);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ images: 4, failed: 2, ignored: 5 });
  });

  it('exits 0 when every image succeeded and prints a one-line summary', async () => {
    const input = path.join(work, 'good');
    await writePicture(path.join(input, 'one.png'), 20, 20, 6);

    const result = await augmix(['run', input, path.join(work, 'good-out'), '--variants', '3']);

    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(
      /^augmix run: 1 images \(1 done, 0 failed, 0 skipped \(done before\)\), 3 variants in /,
    );
  });
});

describe('augmix run notices replaced inputs and unstorable names', () => {
  it('redoes an input whose file was replaced (size or modification time), replacing its old outputs', async () => {
    const input = path.join(work, 'replaced-in');
    const out = path.join(work, 'replaced-out');
    await writePicture(path.join(input, 'x.png'), 24, 24, 8);
    await rename(path.join(input, 'x.png'), path.join(input, 'x.img'));
    await writePicture(path.join(input, 'same.png'), 24, 24, 9);
    const first = await augmix(['run', input, out, '--variants', '1', '--ext', 'img,png', '--json']);
    expect(JSON.parse(first.stdout)).toMatchObject({ processed: 2, variants: 2 });
    const x = await readFile(path.join(out, 'x.img.augmix-00.png'));

    // Act: x.img becomes a JPEG (other content, other output format), with an old modification time
    await writeFile(path.join(input, 'x.img'), await encode((await decode(x)).image, 'jpeg'));
    await utimes(path.join(input, 'x.img'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    const again = await augmix(['run', input, out, '--variants', '1', '--ext', 'img,png', '--json']);

    // Assess: only x.img redone; its PNG variant replaced by a JPEG one; its manifest line is the new one
    expect(JSON.parse(again.stdout)).toMatchObject({ processed: 1, skipped: 1, variants: 1 });
    const files = await listFiles(out);
    expect(files.filter((name) => name.startsWith('x.img'))).toEqual([
      'x.img.augmix-00.jpg',
      'x.img.augmix.json',
    ]);
    const document = JSON.parse(await readFile(path.join(out, 'x.img.augmix.json'), 'utf8'));
    expect(document.source.eTag).toBe(
      createHash('md5')
        .update(await readFile(path.join(input, 'x.img')))
        .digest('hex'),
    );
    // a third run skips both
    const third = await augmix(['run', input, out, '--variants', '1', '--ext', 'img,png', '--json']);
    expect(JSON.parse(third.stdout)).toMatchObject({ processed: 0, skipped: 2 });
  });

  it('records an input whose output name is too long for the file system as one failure (not exit 3)', async () => {
    const input = path.join(work, 'long-in');
    const out = path.join(work, 'long-out');
    // 240 bytes: storable as an input, but its output names pass 255 bytes
    const long = `${'漢'.repeat(78)}xx.png`;
    await writePicture(path.join(input, long), 20, 20, 10);
    // 236 bytes: its longest output name (.augmix-error.json) is 254 bytes, and its temporary name is short
    const fits = `${'a'.repeat(232)}.png`;
    await writePicture(path.join(input, fits), 20, 20, 11);

    const result = await augmix(['run', input, out, '--variants', '1', '--json']);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ images: 2, processed: 2, failed: 1, variants: 1 });
    expect(result.stderr).toContain('[name-too-long]');
    const lines = (await manifestLines(out)).slice(1);
    expect(lines).toContainEqual({
      input: long,
      error: { code: 'name-too-long', message: expect.stringContaining('255 bytes') },
    });
    expect(await listFiles(out)).toContain(`${fits}.augmix-00.png`);
  });
});
