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
import { doneLine, FINGERPRINT, settingsFixture } from './helpers.js';

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
    await Promise.all([writer.append(doneLine('a.png')), writer.append(failure)]);
    await writer.close();

    // Act
    const contents = await readManifest(file);

    // Assess
    expect(contents.header).toEqual(header);
    expect(contents.lines).toEqual([doneLine('a.png'), failure]);
    expect(contents.torn).toBe(false);
  });

  it('drops a torn last line (no newline) and truncation leaves whole lines only', async () => {
    const whole = serializeLine(header) + serializeLine(doneLine('a.png'));
    const torn = serializeLine(doneLine('b.png')).slice(0, 25);
    await writeFile(file, whole + torn);

    const contents = await readManifest(file);
    await dropTornTail(file, contents);

    expect(contents.torn).toBe(true);
    expect(contents.lines).toEqual([doneLine('a.png')]);
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
    await writeFile(file, `${serializeLine(header)}garbage\n${serializeLine(doneLine('a.png'))}`);

    await expect(readManifest(file)).rejects.toThrow(ManifestError);
    await expect(readManifest(file)).rejects.toThrow(/line 2/);
  });

  it('refuses a file whose first line is not a manifest header', async () => {
    await writeFile(file, `{"hello":1}\n${serializeLine(doneLine('a.png'))}`);

    await expect(readManifest(file)).rejects.toThrow(/header/);
  });
});

describe('ManifestWriter', () => {
  it('appends to an existing manifest, one line per write', async () => {
    await writeFile(file, serializeLine(header));
    await appendFile(file, serializeLine(doneLine('a.png')));

    const writer = await ManifestWriter.open(file);
    await writer.append(doneLine('b.png'));
    await writer.close();

    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith(serializeLine(doneLine('b.png')))).toBe(true);
  });
});

describe('ManifestWriter.appendAll', () => {
  it('writes several whole lines at once, and nothing for an empty list', async () => {
    await writeFile(file, serializeLine(header));
    const writer = await ManifestWriter.open(file);

    await writer.appendAll([doneLine('a.png'), doneLine('b.png')]);
    await writer.appendAll([]);
    await writer.close();

    expect((await readManifest(file)).lines).toEqual([doneLine('a.png'), doneLine('b.png')]);
  });

  it('reports a failed write as a rejected promise, not a throw, and leaves the file as it was', async () => {
    await writeFile(file, serializeLine(header));
    const writer = await ManifestWriter.open(file);
    await writer.close();

    let promise: Promise<void> | undefined;
    expect(() => {
      promise = writer.appendAll([doneLine('a.png')]);
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(Error);
    expect(await readFile(file, 'utf8')).toBe(serializeLine(header));
  });
});

describe('asLine', () => {
  it('tells done and failure lines apart and rejects others', () => {
    expect(asLine(doneLine('a.png'))).not.toBeNull();
    expect(asLine({ ...doneLine('a.png'), clean: 'a.png.clean.png' })).not.toBeNull();
    expect(asLine({ ...doneLine('a.png'), source: { size: 1, eTag: 'abc' } })).not.toBeNull();
    expect(asLine({ input: 'a.png', error: { code: 'empty', message: 'x' } })).not.toBeNull();
    // a manifest v1 variant line (one per variant, with a sidecar) is not a v2 line
    expect(
      asLine({ input: 'a.png', output: 'a.png.augmix-00.png', sidecar: 'a.png.augmix-00.json', variant: 0 }),
    ).toBeNull();
    expect(asLine({ ...doneLine('a.png'), source: { size: 1 } })).toBeNull();
    expect(asLine({ input: 'a.png', error: { code: 1 } })).toBeNull();
    expect(asLine([1, 2])).toBeNull();
  });
});

describe('ResumeIndex', () => {
  it('calls an input complete only when its line has every variant (and the clean view in JSD mode) and the same source fingerprint', () => {
    const index = ResumeIndex.from([
      doneLine('a.png', 2),
      doneLine('b.png', 1),
      { input: 'c.png', error: { code: 'empty', message: 'x' } },
    ]);

    expect(index.isComplete('a.png', 2, false, FINGERPRINT)).toBe(true);
    expect(index.isComplete('a.png', 3, false, FINGERPRINT)).toBe(false);
    expect(index.isComplete('a.png', 2, true, FINGERPRINT)).toBe(false);
    expect(index.isComplete('b.png', 2, false, FINGERPRINT)).toBe(false);
    expect(index.isComplete('c.png', 1, false, FINGERPRINT)).toBe(false);
    // a replaced file: another size or another modification time
    expect(index.isComplete('a.png', 2, false, { ...FINGERPRINT, size: 101 })).toBe(false);
    expect(index.isComplete('a.png', 2, false, { ...FINGERPRINT, mtimeMs: 1 })).toBe(false);
    expect(index.isComplete('a.png', 2, false, null)).toBe(false);

    index.add({ ...doneLine('a.png', 2), clean: 'a.png.clean.png' });
    expect(index.isComplete('a.png', 2, true, FINGERPRINT)).toBe(true);
    // objects: size and ETag
    index.add({ ...doneLine('o.png', 2), source: { size: 5, eTag: 'e1' } });
    expect(index.isComplete('o.png', 2, false, { size: 5, eTag: 'e1' })).toBe(true);
    expect(index.isComplete('o.png', 2, false, { size: 5, eTag: 'e2' })).toBe(false);
  });
});
