import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/codec/index.js';
import { augmix, manifestLines, SAMPLES } from './run-fixtures.js';

interface LabelBox {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'augmix-preview-e2e-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('augmix preview', () => {
  it('draws a sheet whose labels are inked and name the ops and values of the run’s records', async () => {
    // Prepare: the record augmix run writes for the same image and key
    const image = path.join(SAMPLES, 'street.jpg');
    const out = path.join(work, 'sheet.png');
    const runOut = path.join(work, 'run');
    const sampleIn = path.join(work, 'one');
    await mkdir(sampleIn);
    await copyFile(image, path.join(sampleIn, 'street.jpg'));
    await augmix(['run', sampleIn, runOut, '--variants', '3', '--seed', '5', '--quiet']);
    const [line] = (await manifestLines(runOut)).slice(1) as { document: string }[];
    const records = JSON.parse(await readFile(path.join(runOut, line!.document), 'utf8')).variants as {
      variant: number;
      seed: number;
      record: { chains: { op: string; value: number | null }[][]; m: number };
    }[];

    // Act
    const result = await augmix(['preview', image, '--variants', '3', '--seed', '5', '--out', out, '--json']);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const sheet = JSON.parse(result.stdout) as { width: number; height: number; labels: LabelBox[] };
    const decoded = await decode(await readFile(out));
    expect(decoded.image).toMatchObject({ width: sheet.width, height: sheet.height });
    const texts = sheet.labels.map((label) => label.text);
    for (const { variant, seed } of records) {
      expect(texts).toContain(`augmix-${String(variant).padStart(2, '0')}`);
      expect(texts).toContain(`seed ${seed}`);
    }
    const steps = records[0]!.record.chains.flat();
    for (const step of steps) {
      const label = texts.find((text) => text === step.op || text.startsWith(`${step.op} `));
      expect(label, step.op).toBeDefined();
    }
    for (const label of sheet.labels) {
      expect(inkIn(decoded.image, label), label.text).toBeGreaterThan(0);
    }
  });

  it('exits 2 on a bad option and 1 on an unreadable image', async () => {
    const badOption = await augmix(['preview', path.join(SAMPLES, 'grey.png'), '--chains-of', '9']);
    const missing = await augmix([
      'preview',
      path.join(work, 'missing.png'),
      '--out',
      path.join(work, 'x.png'),
    ]);

    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--chains-of/);
    expect(missing.code).toBe(1);
  });
});

/** Dark pixels inside a label box (the sheet's background and cells are light, the ink is dark). */
function inkIn(image: { width: number; height: number; data: Uint8Array }, box: LabelBox): number {
  let ink = 0;
  for (let y = box.y; y < box.y + box.height && y < image.height; y += 1) {
    for (let x = box.x; x < box.x + box.width && x < image.width; x += 1) {
      const i = (y * image.width + x) * 3;
      if (image.data[i]! + image.data[i + 1]! + image.data[i + 2]! < 3 * 160) ink += 1;
    }
  }
  return ink;
}
