import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar } from '../../src/shards/tar-read.js';
import { CLI, SAMPLES } from '../cli/run-fixtures.js';

const run = promisify(execFile);
const CHECK = path.resolve('examples/pytorch/check_shards.py');

interface CheckedSample {
  readonly shard: string;
  readonly key: string;
  readonly input: string;
  readonly documentInput: string;
  readonly label: string;
  readonly fields: string[];
  readonly records: number;
  readonly recordFields: string[];
  readonly sizes: Record<string, [number, number]>;
}

let out: string;
let checked: { manifestSamples: number; samples: CheckedSample[] };

/** The image files of samples/, as relative keys (what the run augments). */
function sampleImages(dir = SAMPLES, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return sampleImages(path.join(dir, entry.name), `${prefix}${entry.name}/`);
    return /\.(jpe?g|png|webp)$/i.test(entry.name) ? [`${prefix}${entry.name}`] : [];
  });
}

/** samples/labels.csv, read here independently of the Python reader. */
function csvLabels(): Map<string, string> {
  const rows = readFileSync(path.join(SAMPLES, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  return new Map(rows.map((row) => row.split(',') as [string, string]));
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'augmix-pytorch-'));
  await run(process.execPath, [
    CLI,
    'run',
    SAMPLES,
    out,
    '--layout',
    'shards',
    '--jsd',
    '--variants',
    '2',
    '--size',
    '24',
    '--shard-size',
    '4',
    '--quiet',
  ]);
  const { stdout } = await run('/usr/bin/python3', [
    CHECK,
    out,
    '--labels',
    path.join(SAMPLES, 'labels.csv'),
  ]);
  checked = JSON.parse(stdout);
});

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

describe('examples/pytorch shard reader (Python tarfile + Pillow)', () => {
  it('finds every image of samples/ as one sample, in the shards the manifest lists', () => {
    const images = sampleImages().sort();
    expect(images.length).toBeGreaterThan(4);
    expect(checked.manifestSamples).toBe(images.length);
    expect(checked.samples.map((s) => s.input).sort()).toEqual(images);
    for (const sample of checked.samples) expect(sample.documentInput).toBe(sample.input);
  });

  it('groups every member of every shard into its sample: the clean view, two pairs and the provenance', () => {
    const shards = readdirSync(out).filter((name) => name.endsWith('.tar'));
    const members = shards.flatMap((name) => readTar(readFileSync(path.join(out, name))));
    expect(checked.samples.reduce((sum, s) => sum + s.fields.length, 0)).toBe(members.length);
    for (const sample of checked.samples) {
      const ext = sample.input.slice(sample.input.lastIndexOf('.') + 1);
      const views = ['aug0a', 'aug0b', 'aug1a', 'aug1b', 'clean'].map((view) => `${view}.${ext}`);
      expect(sample.fields).toEqual([...views, 'json']);
      expect(sample.records).toBe(4);
      expect(sample.recordFields).toEqual(views.slice(0, 4));
      // every image member decodes, at the --size the run was given
      for (const view of views) expect(sample.sizes[view]).toEqual([24, 24]);
    }
  });

  it('labels each sample from labels.csv, else from the first folder of its key', () => {
    const labels = csvLabels();
    for (const sample of checked.samples) {
      const expected = labels.get(sample.input) ?? sample.input.split('/')[0];
      expect(sample.label, sample.input).toBe(expected);
    }
    expect(new Set(checked.samples.map((s) => s.label)).size).toBeGreaterThan(2);
  });
});
