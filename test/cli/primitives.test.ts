/**
 * End-to-end tests of `augmix op`, `augmix replay` and `augmix sample`, spawning the built CLI
 * (`dist/bin/augmix.js`, built once per test run by test/global-setup.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOp } from '../../src/augmix/ops/index.js';
import { decode } from '../../src/codec/index.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { blocks, fromRaw, pattern, rgbPng, toBytes } from '../codec/inputs.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'bin', 'augmix.js');

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function augmix(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function pixels(path: string): Promise<Uint8Array> {
  return (await decode(new Uint8Array(await readFile(path)))).image.data;
}

let dir = '';
let png = '';
/** A JPEG stored 40x30 with EXIF orientation 6 (displayed 30x40). */
let rotatedJpeg = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'augmix-primitives-'));
  png = join(dir, 'in.png');
  await writeFile(png, rgbPng(pattern(33, 21)));
  rotatedJpeg = join(dir, 'photo.jpg');
  await writeFile(
    rotatedJpeg,
    await toBytes(fromRaw(pattern(40, 30)).jpeg({ quality: 92 }).withMetadata({ orientation: 6 })),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('augmix op', () => {
  it('applies an op with a negative value, losslessly to .png', async () => {
    const out = join(dir, 'rotated.png');
    const result = await augmix('op', 'rotate', '-12', png, out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = applyOp((await decode(new Uint8Array(await readFile(png)))).image, 'rotate', -12);
    expect(Buffer.from(await pixels(out)).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('takes null for equalize and negative translations; writes the format of the extension', async () => {
    expect((await augmix('op', 'equalize', 'null', png, join(dir, 'eq.jpg'))).code).toBe(0);
    expect((await decode(new Uint8Array(await readFile(join(dir, 'eq.jpg'))))).format).toBe('jpeg');
    const out = join(dir, 'nested', 'tx.webp');
    expect((await augmix('op', 'translate_x', '-5', png, out, '--quality', '80')).code).toBe(0);
    expect((await decode(new Uint8Array(await readFile(out)))).format).toBe('webp');
  });

  it.each([
    [['op', 'spin', '3', 'a.png', 'b.png'], /unknown op "spin"/],
    [['op', 'rotate', '3', 'a.png'], /missing <output>/],
    [['op', 'rotate', 'ten', 'a.png', 'b.png'], /rotate expects a finite number, got "ten"/],
    [['op', 'posterize', '9', 'a.png', 'b.png'], /posterize.*0\.\.8.*9/],
    [['op', 'equalize', '2', 'a.png', 'b.png'], /equalize.*null/],
    [['op', 'rotate', '5', 'a.png', 'b.gif'], /extension.*\.png/],
    [['op', '--nope', 'rotate', '5', 'a.png', 'b.png'], /unknown option --nope/],
    [['op', 'rotate', '5', 'a.png', 'b.png', '--size', '0'], /size/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const result = await augmix(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('--help');
  });

  it('exits 1 naming the file and the reason for bad input', async () => {
    const missing = await augmix('op', 'rotate', '5', join(dir, 'missing.png'), join(dir, 'x.png'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('missing.png: cannot read: no such file');
    const text = join(dir, 'notes.jpg');
    await writeFile(text, 'shopping list: milk, eggs\n');
    const notImage = await augmix('op', 'rotate', '5', text, join(dir, 'x.png'));
    expect(notImage.code).toBe(1);
    expect(notImage.stderr).toMatch(/notes\.jpg: not an image.*\[not-an-image\]/);
  });
});

describe('augmix sample and replay', () => {
  it('sample prints the record a run writes, and replay of it on the original reproduces the variant', async () => {
    // Prepare: what a run with these settings writes for variant 1 of cats/photo.jpg.
    const settings = resolveSettings({ seed: 5, size: 24, variants: 2, format: 'png', allOps: true });
    const processed = await processImage(
      new Uint8Array(await readFile(rotatedJpeg)),
      'cats/photo.jpg',
      settings,
    );
    const variant = processed.variants[1]!;
    // Act
    const sampled = await augmix(
      'sample',
      rotatedJpeg,
      '--seed',
      '5',
      '--variant',
      '1',
      '--key',
      'cats/photo.jpg',
      '--size',
      '24',
      '--all-ops',
    );
    // Assess
    expect(sampled.code).toBe(0);
    const record = JSON.parse(sampled.stdout) as unknown;
    expect(record).toEqual(variant.record);
    const recordPath = join(dir, 'variant.json');
    await writeFile(recordPath, sampled.stdout);
    const out = join(dir, 'replayed.png');
    const replayed = await augmix('replay', recordPath, rotatedJpeg, out);
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    expect(Buffer.from(await pixels(out)).equals(Buffer.from((await decode(variant.bytes)).image.data))).toBe(
      true,
    );
  });

  it('sample defaults the key to the file name and honours AugMix options', async () => {
    const result = await augmix('sample', png, '--width', '2', '--depth', '1', '--severity', '5');
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout) as { width: number; severity: number; chains: unknown[][] };
    expect(record.width).toBe(2);
    expect(record.severity).toBe(5);
    expect(record.chains.every((chain) => chain.length === 1)).toBe(true);
    const processed = await processImage(
      new Uint8Array(await readFile(png)),
      'in.png',
      resolveSettings({ width: 2, depth: 1, severity: 5, variants: 1 }),
    );
    expect(record).toEqual(processed.variants[0]!.record);
  });

  it('replay of a bare version-1 record decodes plainly: no EXIF rotation, no resize', async () => {
    const bare = {
      version: 1,
      width: 1,
      severity: 3,
      allOps: false,
      weights: [1],
      m: 0,
      chains: [[{ op: 'solarize', value: 128 }]],
    };
    const recordPath = join(dir, 'bare.json');
    await writeFile(recordPath, JSON.stringify(bare));
    const out = join(dir, 'bare.png');
    const result = await augmix('replay', recordPath, rotatedJpeg, out);
    expect(result.code).toBe(0);
    const written = await decode(new Uint8Array(await readFile(out)));
    expect([written.image.width, written.image.height]).toEqual([40, 30]);
    const plain = await decode(new Uint8Array(await readFile(rotatedJpeg)), { orientation: 'raw' });
    expect(Buffer.from(written.image.data).equals(Buffer.from(plain.image.data))).toBe(true);
  });

  it('replay refuses an input that does not decode to the record size (exit 1)', async () => {
    const sampled = await augmix('sample', png);
    const recordPath = join(dir, 'sized.json');
    await writeFile(recordPath, sampled.stdout);
    const other = join(dir, 'other.png');
    await writeFile(other, rgbPng(blocks(8, 8, [[1, 2, 3]])));
    const result = await augmix('replay', recordPath, other, join(dir, 'x.png'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/other\.png: decodes to 8x8 but the record was made on 33x21/);
  });

  it('replay exits 1 for a record that is not valid', async () => {
    const recordPath = join(dir, 'broken.json');
    await writeFile(recordPath, '{"version": 2}');
    const result = await augmix('replay', recordPath, png, join(dir, 'x.png'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.json: not a valid provenance record');
    await writeFile(recordPath, '{nope');
    expect((await augmix('replay', recordPath, png, join(dir, 'x.png'))).stderr).toContain('not valid JSON');
  });

  it.each([
    [['sample', 'a.png', '--seed', '-1'], /seed/],
    [['sample', 'a.png', '--variant', 'x'], /--variant expects an integer/],
    [['sample', 'a.png', '--key', '/abs.png'], /--key/],
    [['sample', 'a.png', '--orientation', 'sideways'], /--orientation expects one of auto, raw/],
    [['sample'], /missing <input>/],
    [['replay', 'r.json', 'a.png'], /missing <output>/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const result = await augmix(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each(['op', 'replay', 'sample'])('%s --help prints its usage', async (name) => {
    const result = await augmix(name, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: augmix ${name} `));
  });
});
