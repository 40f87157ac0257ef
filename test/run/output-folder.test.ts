import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_PREFIX } from '../../src/run/atomic-write.js';
import { readManifest } from '../../src/run/manifest-file.js';
import { MANIFEST_FORMAT, MANIFEST_NAME, serializeLine } from '../../src/run/manifest-lines.js';
import { openOutputFolder, SettingsMismatchError } from '../../src/run/output-folder.js';
import { LOCK_NAME, OutputBusyError } from '../../src/run/run-lock.js';
import { describeDifferences, diffSettings, optionName } from '../../src/run/settings-diff.js';
import { doneLine, FINGERPRINT, settingsFixture } from './helpers.js';

let dir: string;
const tool = 'augmix-pipeline 0.0.0';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'augmix-out-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function manifestWith(lines: readonly object[], settings = settingsFixture()): Promise<void> {
  const header = { manifest: MANIFEST_FORMAT, tool, settings };
  await writeFile(
    path.join(dir, MANIFEST_NAME),
    [header, ...lines].map((line) => serializeLine(line as never)).join(''),
  );
}

describe('openOutputFolder', () => {
  it('creates the folder and a manifest whose first line records the settings', async () => {
    // Act
    const folder = await openOutputFolder(path.join(dir, 'new'), { settings: settingsFixture(), tool });
    await folder.close();

    // Assess
    const contents = await readManifest(path.join(dir, 'new', MANIFEST_NAME));
    expect(contents.header).toEqual({ manifest: MANIFEST_FORMAT, tool, settings: settingsFixture() });
    expect(folder.resumed).toBe(false);
  });

  it('resumes with the same settings: recorded work is returned and a torn line cut off', async () => {
    await manifestWith([doneLine('a.png')]);
    const file = path.join(dir, MANIFEST_NAME);
    const before = await readFile(file, 'utf8');
    await writeFile(file, `${before}{"input":"b.png","outp`);

    const folder = await openOutputFolder(dir, { settings: settingsFixture(), tool });
    await folder.close();

    expect(folder.resumed).toBe(true);
    expect(folder.tornLineDropped).toBe(true);
    expect(folder.done.isComplete('a.png', 2, false, FINGERPRINT)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses other settings and names every differing option', async () => {
    await manifestWith([doneLine('a.png')]);

    const opening = openOutputFolder(dir, {
      settings: settingsFixture({ severity: 5, allOps: true }),
      tool,
    });

    await expect(opening).rejects.toThrow(SettingsMismatchError);
    await expect(opening).rejects.toThrow(
      /--severity: 3 in the folder, 5 now; --all-ops: false in the folder, true now/,
    );
    expect(await readdir(dir)).not.toContain(LOCK_NAME);
  });

  it('with force, starts over: a new manifest with the new settings and nothing recorded', async () => {
    await manifestWith([doneLine('a.png')]);
    const settings = settingsFixture({ seed: 9 });

    const folder = await openOutputFolder(dir, { settings, tool, force: true });
    await folder.close();

    const contents = await readManifest(path.join(dir, MANIFEST_NAME));
    expect(contents.header?.settings).toEqual(settings);
    expect(contents.lines).toEqual([]);
    expect(folder.done.isComplete('a.png', 2, false, FINGERPRINT)).toBe(false);
    expect(folder.overridden.map((d) => d.option)).toEqual(['--seed']);
  });

  it('removes failure lines on resume so that failed inputs are tried again', async () => {
    await manifestWith([doneLine('a.png'), { input: 'bad.png', error: { code: 'empty', message: 'x' } }]);

    const folder = await openOutputFolder(dir, { settings: settingsFixture(), tool });
    await folder.close();

    const contents = await readManifest(path.join(dir, MANIFEST_NAME));
    expect(contents.lines).toEqual([doneLine('a.png')]);
    expect(folder.retriedFailures).toBe(1);
  });

  it('deletes temporary files a killed run left behind', async () => {
    await manifestWith([]);
    await writeFile(path.join(dir, `${TEMP_PREFIX}99999-1-4-a.png.augmix-00.png`), 'partial');

    const folder = await openOutputFolder(dir, { settings: settingsFixture(), tool });
    await folder.close();

    expect(folder.staleTempFiles).toBe(1);
    expect(await readdir(dir)).toEqual([MANIFEST_NAME]);
  });

  it('refuses a folder another live run holds, and takes over a dead run’s lock', async () => {
    const first = await openOutputFolder(dir, { settings: settingsFixture(), tool });
    await writeFile(path.join(dir, LOCK_NAME), `${process.ppid}\n`);

    await expect(openOutputFolder(dir, { settings: settingsFixture(), tool })).rejects.toThrow(
      OutputBusyError,
    );

    await writeFile(path.join(dir, LOCK_NAME), '2147483646\n');
    const second = await openOutputFolder(dir, { settings: settingsFixture(), tool });
    await second.close();
    await first.close();
    expect(await readdir(dir)).toEqual([MANIFEST_NAME]);
  });
});

describe('diffSettings', () => {
  it('lists differing settings with their option names, and nothing for equal settings', () => {
    const recorded = settingsFixture({ format: 'png', quality: 80 });

    const differences = diffSettings(recorded as never, settingsFixture({ format: 'png', quality: null }));

    expect(differences).toEqual([{ setting: 'quality', option: '--quality', recorded: 80, requested: null }]);
    expect(diffSettings(recorded as never, recorded)).toEqual([]);
    expect(describeDifferences(differences)).toBe('--quality: 80 in the folder, null now');
  });

  it('reports keys only one side has', () => {
    const differences = diffSettings({ ...settingsFixture(), legacy: 1 }, settingsFixture());

    expect(differences.map((d) => d.option)).toEqual(['--legacy']);
  });

  it('turns setting names into option names', () => {
    expect(optionName('maxPixels')).toBe('--max-pixels');
    expect(optionName('allOps')).toBe('--all-ops');
  });
});
