import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropTornTail, ManifestWriter, readManifest } from '../../src/run/manifest-file.js';
import {
  asLine,
  MANIFEST_FORMAT,
  ManifestError,
  type ManifestHeader,
  serializeLine,
} from '../../src/run/manifest-lines.js';
import { ResumeIndex } from '../../src/run/resume-index.js';
import { settingsFixture, variantLine } from './helpers.js';

let dir: string;
let file: string;
const header: ManifestHeader = {
  manifest: MANIFEST_FORMAT,
  tool: 'augmix-pipeline 0.0.0',
  settings: settingsFixture(),
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'augmix-manifest-'));
  file = path.join(dir, 'manifest.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readManifest', () => {
  it('reads back the header and every line a writer appended', async () => {
    // Prepare
    const writer = await ManifestWriter.open(file);
    const failure = {
      input: 'bad.png',
      error: { code: 'empty' as const, message: 'bad.png: the file is empty' },
    };
    await writer.append(header);
    await Promise.all([writer.append(variantLine('a.png', 0)), writer.append(failure)]);
    await writer.close();

    // Act
    const contents = await readManifest(file);

    // Assess
    expect(contents.header).toEqual(header);
    expect(contents.lines).toEqual([variantLine('a.png', 0), failure]);
    expect(contents.torn).toBe(false);
  });

  it('drops a torn last line (no newline) and truncation leaves whole lines only', async () => {
    const whole = serializeLine(header) + serializeLine(variantLine('a.png', 0));
    const torn = serializeLine(variantLine('a.png', 1)).slice(0, 25);
    await writeFile(file, whole + torn);

    const contents = await readManifest(file);
    await dropTornTail(file, contents);

    expect(contents.torn).toBe(true);
    expect(contents.lines).toEqual([variantLine('a.png', 0)]);
    expect(await readFile(file, 'utf8')).toBe(whole);
  });

  it('treats a last line that is complete but not a manifest line as torn', async () => {
    await writeFile(file, `${serializeLine(header)}{"input":"x"}\n`);

    const contents = await readManifest(file);

    expect(contents).toMatchObject({ torn: true, lines: [], validBytes: serializeLine(header).length });
  });

  it('returns no header for an empty file or a torn header', async () => {
    await writeFile(file, serializeLine(header).slice(0, 10));

    const contents = await readManifest(file);

    expect(contents).toMatchObject({ header: null, torn: true, validBytes: 0 });
  });

  it('refuses a damaged line that is not the last one', async () => {
    await writeFile(file, `${serializeLine(header)}garbage\n${serializeLine(variantLine('a.png', 0))}`);

    await expect(readManifest(file)).rejects.toThrow(ManifestError);
    await expect(readManifest(file)).rejects.toThrow(/line 2/);
  });

  it('refuses a file whose first line is not a manifest header', async () => {
    await writeFile(file, `{"hello":1}\n${serializeLine(variantLine('a.png', 0))}`);

    await expect(readManifest(file)).rejects.toThrow(/header/);
  });
});

describe('ManifestWriter', () => {
  it('appends to an existing manifest, one line per write', async () => {
    await writeFile(file, serializeLine(header));
    await appendFile(file, serializeLine(variantLine('a.png', 0)));

    const writer = await ManifestWriter.open(file);
    await writer.append(variantLine('a.png', 1));
    await writer.close();

    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith(serializeLine(variantLine('a.png', 1)))).toBe(true);
  });
});

describe('ManifestWriter.appendAll', () => {
  it('writes several whole lines at once, and nothing for an empty list', async () => {
    await writeFile(file, serializeLine(header));
    const writer = await ManifestWriter.open(file);

    await writer.appendAll([variantLine('a.png', 0), variantLine('a.png', 1)]);
    await writer.appendAll([]);
    await writer.close();

    expect((await readManifest(file)).lines).toEqual([variantLine('a.png', 0), variantLine('a.png', 1)]);
  });

  it('reports a failed write as a rejected promise, not a throw, and leaves the file as it was', async () => {
    await writeFile(file, serializeLine(header));
    const writer = await ManifestWriter.open(file);
    await writer.close();

    let promise: Promise<void> | undefined;
    expect(() => {
      promise = writer.appendAll([variantLine('a.png', 0)]);
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(Error);
    expect(await readFile(file, 'utf8')).toBe(serializeLine(header));
  });
});

describe('asLine', () => {
  it('tells variant, clean and failure lines apart and rejects others', () => {
    expect(asLine(variantLine('a.png', 0))).not.toBeNull();
    expect(asLine({ input: 'a.png', output: 'a.png.clean.png', clean: true })).not.toBeNull();
    expect(asLine({ input: 'a.png', error: { code: 'empty', message: 'x' } })).not.toBeNull();
    expect(asLine({ input: 'a.png', output: 'a.png.augmix-00.png', variant: 0 })).toBeNull();
    expect(asLine({ input: 'a.png', error: { code: 1 } })).toBeNull();
    expect(asLine([1, 2])).toBeNull();
  });
});

describe('ResumeIndex', () => {
  it('calls an input complete only when every variant (and the clean view in JSD mode) is recorded', () => {
    const index = ResumeIndex.from([
      variantLine('a.png', 0),
      variantLine('a.png', 1),
      variantLine('b.png', 1),
      { input: 'c.png', error: { code: 'empty', message: 'x' } },
    ]);

    expect(index.isComplete('a.png', 2, false)).toBe(true);
    expect(index.isComplete('a.png', 3, false)).toBe(false);
    expect(index.isComplete('a.png', 2, true)).toBe(false);
    expect(index.isComplete('b.png', 2, false)).toBe(false);
    expect(index.isComplete('c.png', 1, false)).toBe(false);
    expect(index.hasOutput('b.png', variantLine('b.png', 1).output)).toBe(true);
    expect(index.hasOutput('b.png', variantLine('b.png', 0).output)).toBe(false);

    index.add({ input: 'a.png', output: 'a.png.clean.png', clean: true });
    expect(index.isComplete('a.png', 2, true)).toBe(true);
  });
});
