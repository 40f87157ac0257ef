import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createImage, type RgbImage } from '../../src/augmix/image.js';
import { encode } from '../../src/codec/index.js';

/** The built CLI, as a user runs it (`test/global-setup.ts` builds it once per test run). */
export const CLI = fileURLToPath(new URL('../../dist/bin/augmix.js', import.meta.url));

/** The committed sample images. */
export const SAMPLES = fileURLToPath(new URL('../../samples', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `node dist/bin/augmix.js <args>` (stdout/stderr piped, so not a terminal). */
export function startAugmix(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits for a started CLI and collects its output. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs the CLI to the end. */
export function augmix(args: readonly string[]): Promise<CliResult> {
  return finished(startAugmix(args));
}

/** A synthetic picture that differs per `index`: gradients, a disc and stripes. */
export function picture(width: number, height: number, index: number): RgbImage {
  const image = createImage(width, height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      const disc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      image.data[i] = (x * 255) / width + index * 37;
      image.data[i + 1] = disc ? 230 - index * 11 : (y * 255) / height;
      image.data[i + 2] = (Math.floor((x + index * 5) / 6) % 2) * 180 + 40;
    }
  }
  return image;
}

/** Writes `picture(width, height, index)` encoded as the file extension says (png, jpg, webp). */
export async function writePicture(
  file: string,
  width: number,
  height: number,
  index: number,
): Promise<void> {
  const ext = path.extname(file).slice(1).toLowerCase();
  const format = ext === 'jpg' ? 'jpeg' : (ext as 'png' | 'webp');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, await encode(picture(width, height, index), format));
}

/** Writes a file with the given contents, creating its folder. */
export async function writeText(file: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, contents);
}

/** Every file under `root` (relative, `/`-separated, sorted), hidden ones included. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The manifest's lines, parsed (header first). */
export async function manifestLines(outputDir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path.join(outputDir, 'manifest.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The manifest's raw lines, sorted (for comparing runs). */
export async function sortedManifest(outputDir: string): Promise<string[]> {
  const text = await readFile(path.join(outputDir, 'manifest.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}

/** Asserts-free helper: the contents of every file under `root`, keyed by relative name. */
export async function snapshotFiles(root: string): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>();
  for (const name of await listFiles(root)) {
    if (name === 'manifest.jsonl') continue;
    snapshot.set(name, (await readFile(path.join(root, name))).toString('base64'));
  }
  return snapshot;
}
