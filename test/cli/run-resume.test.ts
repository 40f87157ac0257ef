import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  augmix,
  finished,
  listFiles,
  snapshotFiles,
  sortedManifest,
  startAugmix,
  writePicture,
} from './run-fixtures.js';

const IMAGES = 40;
const VARIANTS = 3;
const TOTAL_LINES = 1 + IMAGES;

let work: string;
let input: string;
let reference: string;

/** Waits until the manifest in `outputDir` has at least `lines` complete lines. */
async function waitForLines(outputDir: string, lines: number): Promise<void> {
  for (;;) {
    const text = await readFile(path.join(outputDir, 'manifest.jsonl'), 'utf8').catch(() => '');
    if (text.split('\n').length - 1 >= lines) return;
    await sleep(5);
  }
}

async function lineCount(outputDir: string): Promise<number> {
  return (await readFile(path.join(outputDir, 'manifest.jsonl'), 'utf8')).split('\n').length - 1;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'augmix-resume-e2e-'));
  input = path.join(work, 'in');
  for (let i = 0; i < IMAGES; i += 1) {
    await writePicture(
      path.join(input, `class-${i % 3}`, `img-${String(i).padStart(2, '0')}.png`),
      160,
      120,
      i,
    );
  }
  reference = path.join(work, 'reference');
  const run = await augmix([
    'run',
    input,
    reference,
    '--variants',
    String(VARIANTS),
    '--json',
    '--concurrency',
    '2',
  ]);
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({
    images: IMAGES,
    processed: IMAGES,
    variants: IMAGES * VARIANTS,
  });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('augmix run interrupted', () => {
  it('after kill -9 mid-run, a rerun ends with the files and sorted manifest of an uninterrupted run', async () => {
    // Prepare: kill the run hard once a few images are recorded
    const out = path.join(work, 'killed');
    const child = startAugmix(['run', input, out, '--variants', String(VARIANTS), '--concurrency', '1']);
    const done = finished(child);
    await waitForLines(out, 1 + 2);
    child.kill('SIGKILL');
    const killed = await done;
    const linesAtKill = await lineCount(out);

    // Act
    const rerun = await augmix(['run', input, out, '--variants', String(VARIANTS), '--json']);

    // Assess
    expect(killed.signal).toBe('SIGKILL');
    expect(linesAtKill).toBeLessThan(TOTAL_LINES);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { skipped: number; processed: number };
    expect(summary.skipped).toBeGreaterThanOrEqual(2);
    expect(summary.skipped + summary.processed).toBe(IMAGES);
    expect(await sortedManifest(out)).toEqual(await sortedManifest(reference));
    expect(await snapshotFiles(out)).toEqual(await snapshotFiles(reference));
  });

  it('on Ctrl-C finishes the images in flight, exits 130 with whole manifest lines and no temporary files', async () => {
    const out = path.join(work, 'interrupted');
    const child = startAugmix(['run', input, out, '--variants', String(VARIANTS), '--concurrency', '2']);
    const done = finished(child);
    await waitForLines(out, 1 + 2);
    child.kill('SIGINT');
    const interrupted = await done;

    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('finishing the images in flight');
    const text = await readFile(path.join(out, 'manifest.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeLessThan(TOTAL_LINES);
    // every line whole: one JSON object per input
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect((await listFiles(out)).filter((name) => path.basename(name).startsWith('.'))).toEqual([]);

    const rerun = await augmix(['run', input, out, '--variants', String(VARIANTS), '--quiet']);
    expect(rerun.code).toBe(0);
    expect(await snapshotFiles(out)).toEqual(await snapshotFiles(reference));
  });
});
