import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './status-dlq-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'augmix-estimate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('augmix estimate', () => {
  it.each([
    [[], /expected an input/],
    [['samples', '--images', '10', '--mean-bytes', '5'], /either an input .* or --images/],
    [['--images', '10'], /expected an input .* --mean-bytes/],
    [['--images', '0', '--mean-bytes', '5'], /--images expects a number above 0, got 0/],
    [
      ['--images', '10', '--mean-bytes', '5', '--layout', 'tar'],
      /--layout expects shards, objects or all, got "tar"/,
    ],
    [
      ['--images', '10', '--mean-bytes', '5', '--memory', '20000'],
      /--memory expects MB in 128..10240, got 20000/,
    ],
    [['--images', '10', '--mean-bytes', '5', '--measure', '3'], /--measure needs an input/],
    [['--images', '10', '--mean-bytes', '5', '--severity', '11'], /severity/],
    [['--images', '10', '--mean-bytes', '5', '--bogus'], /bogus/],
  ])('refuses %j with exit 2', async (args, message) => {
    const result = await runCli(['estimate', ...args]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('refuses a prices file with an unknown key, naming it', async () => {
    const file = join(dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ s3Put: 1 }));
    const result = await runCli(['estimate', '--images', '10', '--mean-bytes', '5', '--prices', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown price "s3Put"');
  });

  it('prints the three paths, the comparisons and its assumptions for a described dataset', async () => {
    const result = await runCli([
      'estimate',
      '--images',
      '9000000',
      '--mean-bytes',
      '110000',
      '--mean-pixels',
      '187500',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /state machine, shards +state machine, objects +queue \(enqueue\), objects/,
    );
    expect(result.stdout).toMatch(/S3 PUT requests +18,004 +54,000,004 +54,000,000/);
    expect(result.stdout).toContain('wall time at 100-way');
    expect(result.stdout).toContain('wall time at 1,000-way');
    expect(result.stdout).toContain('Cheapest batch-worker memory per image: 1,769 MB');
    expect(result.stdout).toMatch(
      /Assumptions:\n {2}- CPU per image on one Lambda arm64 vCPU: .* = 1.5 x \(model: npm run bench/,
    );
  });

  it('measures processImage on a sample of a folder and says so (--json)', async () => {
    const result = await runCli(['estimate', 'samples', '--measure', '2', '--variants', '2', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.input.images).toBeGreaterThanOrEqual(4);
    expect(json.input.outputsPerImage).toBe(2);
    expect(json.input.cpuMsPerImage).toBeGreaterThan(0);
    expect(json.assumptions.notes.join('\n')).toMatch(
      /measured here: processImage on 2 of the input's images/,
    );
    expect(json.estimates.map((e: { path: string }) => e.path)).toEqual(['shards', 'objects', 'queue']);
  });
});
